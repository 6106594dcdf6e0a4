import { describe, expect, it, vi } from 'vitest';
import * as Email from '../../wailsjs/go/app/Email';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { AppError } from './client';
import { onOutboxProgress, sendTestEmail, trustCertificate } from './email';

vi.mock('../../wailsjs/go/app/Email', () => ({
  SendTestEmail: vi.fn(),
  TrustCertificate: vi.fn(),
}));
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}) }));

describe('email api', () => {
  it('rejects a failed test email with the server reply and certificate in args', async () => {
    vi.mocked(Email.SendTestEmail).mockRejectedValue({
      code: 'unavailable',
      message: "The server's certificate is not trusted.",
      key: 'smtp.certificate',
      args: { category: 'certificate', fingerprint: 'AB:CD', subject: 'CN=mail' },
    });
    const err = await sendTestEmail('jane@example.com').catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'unavailable', key: 'smtp.certificate' });
    expect(err.args).toMatchObject({ fingerprint: 'AB:CD' });
    expect(Email.SendTestEmail).toHaveBeenCalledWith({ to: 'jane@example.com' });
  });

  it('trusts a certificate by its fingerprint', async () => {
    vi.mocked(Email.TrustCertificate).mockResolvedValue({ trustedFingerprint: 'AB:CD' } as never);
    await expect(trustCertificate('AB:CD')).resolves.toMatchObject({ trustedFingerprint: 'AB:CD' });
    expect(Email.TrustCertificate).toHaveBeenCalledWith({ fingerprint: 'AB:CD' });
  });

  it('subscribes to outbox:progress', () => {
    const listener = vi.fn();
    const off = onOutboxProgress(listener);
    expect(EventsOn).toHaveBeenCalledWith('outbox:progress', listener);
    expect(typeof off).toBe('function');
  });
});
