import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import * as Imports from '../../wailsjs/go/app/Imports';
import { EventsOn, OnFileDrop, OnFileDropOff } from '../../wailsjs/runtime/runtime';
import { AppError } from './client';
import {
  cancelImportPreview,
  onFileDrop,
  onImportProgress,
  openImportFile,
  previewImportData,
  previewImportFile,
  useSendImport,
} from './imports';

vi.mock('../../wailsjs/go/app/Imports', () => ({
  OpenImportFile: vi.fn(),
  PreviewImportFile: vi.fn(),
  PreviewImportData: vi.fn(),
  CancelImportPreview: vi.fn(),
  SendImport: vi.fn(),
}));
vi.mock('../../wailsjs/runtime/runtime', () => ({
  EventsOn: vi.fn(() => () => {}),
  OnFileDrop: vi.fn(),
  OnFileDropOff: vi.fn(),
}));

/** sendWithCache runs useSendImport over a cache holding queries of every area; it returns the keys marked stale. */
async function sendWithCache(outcome: 'sent' | 'refused'): Promise<string[]> {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  const keys = [
    ['imports', 'imp1'],
    ['imports', 'imp2'],
    ['users', 'directory'],
    ['invitations', 'list'],
    ['roles'],
    ['audit', 'list'],
    ['email', 'queue'],
    ['email', 'settings'],
    ['system', 'state'],
  ];
  for (const key of keys) qc.setQueryData(key, 1);
  const wrapper = ({ children }: { children: ReactNode }) =>
    createElement(QueryClientProvider, { client: qc }, children);
  const { result } = renderHook(() => useSendImport(), { wrapper });
  await act(() => result.current.mutateAsync('imp1').catch(() => undefined));
  expect(result.current.isSuccess).toBe(outcome === 'sent');
  return keys.filter((key) => qc.getQueryState(key)?.isInvalidated).map((key) => key.join('/'));
}

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

  it('passes the path of the first file dropped on the window, and stops on the returned call', () => {
    const listener = vi.fn();
    const off = onFileDrop(listener);
    const [handler, useDropTarget] = vi.mocked(OnFileDrop).mock.calls[0];
    expect(useDropTarget).toBe(false);
    handler(1, 2, ['/home/ada/people.csv', '/home/ada/other.csv']);
    handler(1, 2, []);
    expect(listener.mock.calls).toEqual([['/home/ada/people.csv']]);
    off();
    expect(OnFileDropOff).toHaveBeenCalled();
  });

  it('marks stale only what sending changed: the import, the admin data and the mail queue', async () => {
    vi.mocked(Imports.SendImport).mockResolvedValue({ sent: 1, skipped: 0, summary: {} } as never);
    expect(await sendWithCache('sent')).toEqual([
      'imports/imp1',
      'users/directory',
      'invitations/list',
      'roles',
      'audit/list',
      'email/queue',
    ]);
  });

  it('marks only the import stale when sending was refused', async () => {
    vi.mocked(Imports.SendImport).mockRejectedValue({
      code: 'invalid',
      key: 'import.nothing_to_send',
      message: 'No row.',
    });
    expect(await sendWithCache('refused')).toEqual(['imports/imp1']);
  });
});
