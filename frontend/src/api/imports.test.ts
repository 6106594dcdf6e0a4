import { describe, expect, it, vi } from 'vitest';
import * as Imports from '../../wailsjs/go/app/Imports';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { AppError } from './client';
import {
  cancelImportPreview,
  onImportProgress,
  openImportFile,
  previewImportData,
  previewImportFile,
} from './imports';

vi.mock('../../wailsjs/go/app/Imports', () => ({
  OpenImportFile: vi.fn(),
  PreviewImportFile: vi.fn(),
  PreviewImportData: vi.fn(),
  CancelImportPreview: vi.fn(),
}));
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}) }));

describe('imports api', () => {
  it('gives null when the open dialog was cancelled', async () => {
    vi.mocked(Imports.OpenImportFile).mockResolvedValue(null as never);
    await expect(openImportFile()).resolves.toBeNull();
  });

  it('rejects a refused file with the key and args that name the columns', async () => {
    vi.mocked(Imports.PreviewImportFile).mockRejectedValue({
      code: 'invalid',
      message: 'The columns do not match the template.',
      key: 'import.header',
      args: { expected: 'email, role', found: 'name, role' },
    });
    const err = await previewImportFile('/home/ada/people.csv').catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'invalid', key: 'import.header', args: { found: 'name, role' } });
  });

  it('sends a browser file as base64 under its name', async () => {
    vi.mocked(Imports.PreviewImportData).mockResolvedValue({ id: 'x' } as never);
    const file = new File(['email,role\nä@example.com,User\n'], 'people.csv');
    await previewImportData(file);
    const [name, data] = vi.mocked(Imports.PreviewImportData).mock.calls[0];
    expect(name).toBe('people.csv');
    expect(new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)))).toBe(
      'email,role\nä@example.com,User\n',
    );
    await previewImportData(new File([], 'empty.csv'));
    expect(vi.mocked(Imports.PreviewImportData).mock.calls[1]).toEqual(['empty.csv', '']);
  });

  it('cancels the file being read, which then rejects as canceled', async () => {
    vi.mocked(Imports.CancelImportPreview).mockResolvedValue(undefined as never);
    vi.mocked(Imports.PreviewImportFile).mockRejectedValue({
      code: 'canceled',
      message: 'Reading the file was cancelled.',
      key: 'import.canceled',
    });
    await cancelImportPreview();
    expect(Imports.CancelImportPreview).toHaveBeenCalled();
    const err = await previewImportFile('/home/ada/people.csv').catch((e) => e);
    expect(err).toMatchObject({ code: 'canceled', key: 'import.canceled' });
  });

  it('subscribes to import:progress', () => {
    const listener = vi.fn();
    onImportProgress(listener);
    expect(EventsOn).toHaveBeenCalledWith('import:progress', listener);
  });
});
