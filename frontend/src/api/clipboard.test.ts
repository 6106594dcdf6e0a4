import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyText } from './clipboard';

describe('copyText', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    Reflect.deleteProperty(window, 'runtime');
  });

  it('uses the web view clipboard where it allows it', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    vi.stubGlobal('navigator', { clipboard: { writeText } });
    await expect(copyText('https://chat.example.com/invite/abc')).resolves.toBe(true);
    expect(writeText).toHaveBeenCalledWith('https://chat.example.com/invite/abc');
  });

  it("falls back to the window's clipboard when the web view refuses", async () => {
    vi.stubGlobal('navigator', {
      clipboard: { writeText: vi.fn().mockRejectedValue(new Error('NotAllowedError')) },
    });
    const setText = vi.fn().mockResolvedValue(true);
    Object.assign(window, { runtime: { ClipboardSetText: setText } });
    await expect(copyText('link')).resolves.toBe(true);
    expect(setText).toHaveBeenCalledWith('link');
  });

  it('says so when neither can copy', async () => {
    vi.stubGlobal('navigator', {});
    await expect(copyText('link')).resolves.toBe(false);
  });
});
