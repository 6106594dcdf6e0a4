import { describe, expect, it } from 'vitest';
import { nextStep } from './InvitationPanel';

const fmt = { dateTime: (iso: string) => `<${iso}>` };
const t = (key: string, args?: Record<string, string>) => `${key} ${JSON.stringify(args ?? {})}`;
const open = {
  state: 'pending' as const,
  deliveredAt: '',
  sentAt: '2026-03-02T09:00:00.000Z',
  expiresAt: '2026-03-09T09:00:00.000Z',
};

describe('nextStep', () => {
  it('says that no email carries a link made to be copied, not that one is queued', () => {
    expect(nextStep({ ...open, delivery: '' as never }, false, fmt, t)).toBe(
      'invitations.nextCopied {"date":"<2026-03-02T09:00:00.000Z>","expires":"<2026-03-09T09:00:00.000Z>"}',
    );
    expect(nextStep({ ...open, delivery: '' as never }, true, fmt, t)).toMatch(/^invitations\.nextCopied /);
  });

  it('follows the email where there is one', () => {
    expect(nextStep({ ...open, delivery: 'queued' }, false, fmt, t)).toMatch(/^invitations\.nextQueued /);
    expect(nextStep({ ...open, delivery: 'queued' }, true, fmt, t)).toMatch(/^invitations\.nextNoMail /);
    expect(nextStep({ ...open, delivery: 'failed' }, false, fmt, t)).toMatch(/^invitations\.nextFailed /);
  });
});
