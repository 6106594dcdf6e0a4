import { describe, expect, it, vi } from 'vitest';
import * as Imports from '../../wailsjs/go/app/Imports';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { AppError } from './client';
import {
  onImportProgress,
  openImportFile,
  previewImportData,
  previewImportFile,
  toBase64,
  updateImportRow,
} from './imports';

vi.mock('../../wailsjs/go/app/Imports', () => ({
  OpenImportFile: vi.fn(),
  PreviewImportFile: vi.fn(),
  PreviewImportData: vi.fn(),
  UpdateImportRow: vi.fn(),
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
    await expect(toBase64(new Blob([]))).resolves.toBe('');
  });

  it('corrects a row by its number', async () => {
    vi.mocked(Imports.UpdateImportRow).mockResolvedValue({ rows: [], summary: {} } as never);
    await updateImportRow('id1', 7, 'jane@example.com', 'User');
    expect(Imports.UpdateImportRow).toHaveBeenCalledWith('id1', {
      row: 7,
      email: 'jane@example.com',
      role: 'User',
    });
  });

  it('subscribes to import:progress', () => {
    const listener = vi.fn();
    onImportProgress(listener);
    expect(EventsOn).toHaveBeenCalledWith('import:progress', listener);
  });
});
