import { act, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Sync from '../../../wailsjs/go/app/Sync';
import * as Runtime from '../../../wailsjs/runtime/runtime';
import type { SyncStatus } from '../../api/sync';
import { renderWithProviders } from '../../test/render';
import { SyncIndicator } from './SyncIndicator';

vi.mock('../../../wailsjs/go/app/Sync', () => ({ GetSyncStatus: vi.fn() }));
vi.mock('../../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}) }));

const getStatus = vi.mocked(Sync.GetSyncStatus);

const idle: SyncStatus = {
  connected: true,
  running: false,
  pending: 0,
  lastSyncAt: '2026-03-02T09:30:00.000Z',
  lastError: undefined,
  conflicts: 0,
};

describe('SyncIndicator', () => {
  beforeEach(() => getStatus.mockReset());

  it.each([
    [{ running: true, pending: 2 }, 'Sync: Syncing…'],
    [{ pending: 2 }, 'Sync: 2 waiting'],
    [
      {
        pending: 2,
        lastError: { code: 'unavailable', key: 'sync.unreachable', message: 'x', args: { server: 'x' } },
      },
      'Sync: Sync failed',
    ],
    [{}, 'Sync: Synced'],
  ])('says %o as %s and links to the Sync section', async (status, label) => {
    getStatus.mockResolvedValue({ ...idle, ...status } as never);
    renderWithProviders(<SyncIndicator />);
    const link = await screen.findByRole('link', { name: label });
    expect(link).toHaveAttribute('href', '#/admin/sync');
  });

  it('is not shown while not connected', async () => {
    getStatus.mockResolvedValue({ ...idle, connected: false } as never);
    renderWithProviders(<SyncIndicator />);
    await vi.waitFor(() => expect(getStatus).toHaveBeenCalled());
    await act(async () => {
      await getStatus.mock.results[0]?.value;
    });
    expect(screen.queryByTestId('sync-indicator')).not.toBeInTheDocument();
  });

  it('has the lists read again when a sync finished', async () => {
    getStatus.mockResolvedValue(idle as never);
    const { client } = renderWithProviders(<SyncIndicator />);
    await screen.findByRole('link', { name: 'Sync: Synced' });
    const listener = vi.mocked(Runtime.EventsOn).mock.calls.at(-1)?.[1] as (s: SyncStatus) => void;
    client.setQueryData(['directory', 'page'], { rows: [] });
    act(() => listener({ ...idle, running: true }));
    expect(client.getQueryState(['directory', 'page'])?.isInvalidated).toBe(false);
    act(() => listener({ ...idle, lastSyncAt: '2026-03-02T09:31:00.000Z' }));
    expect(client.getQueryState(['directory', 'page'])?.isInvalidated).toBe(true);
  });
});
