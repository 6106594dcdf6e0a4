import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Sync from '../../../wailsjs/go/app/Sync';
import type { SyncSettings, SyncStatus } from '../../api/sync';
import { renderScreen } from '../../test/renderScreen';
import { SyncSettingsPage } from './SyncSettingsPage';

vi.mock('../../../wailsjs/go/app/Sync', () => ({
  GetSyncSettings: vi.fn(),
  ConnectSync: vi.fn(),
  DisconnectSync: vi.fn(),
  GetSyncStatus: vi.fn(),
  SyncNow: vi.fn(),
}));

let statusListener: ((s: SyncStatus) => void) | null = null;
vi.mock('../../../wailsjs/runtime/runtime', () => ({
  EventsOn: vi.fn((name: string, fn: (s: SyncStatus) => void) => {
    if (name === 'sync:status') statusListener = fn;
    return () => {
      statusListener = null;
    };
  }),
}));

const getSettings = vi.mocked(Sync.GetSyncSettings);
const connectSync = vi.mocked(Sync.ConnectSync);
const disconnectSync = vi.mocked(Sync.DisconnectSync);
const getStatus = vi.mocked(Sync.GetSyncStatus);
const syncNow = vi.mocked(Sync.SyncNow);

const idle: SyncStatus = {
  connected: true,
  running: false,
  pending: 0,
  lastSyncAt: '',
  lastError: undefined,
  conflicts: 0,
};

const TOKEN = 'rst_0123456789abcdef';

const disconnected: SyncSettings = {
  connected: false,
  url: '',
  serverVersion: '',
  organisationName: '',
  administratorName: '',
  administratorEmail: '',
  connectedAt: '',
  clientName: 'Roster on ada-laptop',
  tokenStore: '',
  keyringProblem: undefined,
};

const connected: SyncSettings = {
  ...disconnected,
  connected: true,
  url: 'https://roster.example.com',
  serverVersion: '1.4.0',
  organisationName: 'Example Ltd',
  administratorName: 'Ada Admin',
  administratorEmail: 'ada@example.com',
  connectedAt: '2026-03-02T09:30:00.000Z',
  tokenStore: 'keyring',
};

async function fillAndConnect(url = 'https://roster.example.com') {
  const user = userEvent.setup();
  renderScreen(<SyncSettingsPage />);
  await user.type(await screen.findByLabelText(/Server address/), url);
  await user.type(screen.getByLabelText(/API token/), TOKEN);
  await user.click(screen.getByRole('button', { name: 'Connect' }));
  return user;
}

/** alertTitled is the alert a title belongs to (notifications of earlier tests are alerts too). */
function alertTitled(title: HTMLElement): HTMLElement {
  const alert = title.closest<HTMLElement>('[role="alert"]');
  if (!alert) throw new Error(`no alert around ${title.textContent}`);
  return alert;
}

describe('SyncSettingsPage', () => {
  beforeEach(() => {
    getSettings.mockReset();
    connectSync.mockReset();
    disconnectSync.mockReset();
    syncNow.mockReset();
    getSettings.mockResolvedValue(disconnected as never);
    getStatus.mockReset();
    getStatus.mockResolvedValue({ ...idle, connected: false } as never);
  });

  it('connects with the address and token and shows the server and its organisation', async () => {
    connectSync.mockResolvedValue(connected as never);
    await fillAndConnect();
    const card = await screen.findByRole('region', { name: 'Connected' });
    expect(connectSync).toHaveBeenCalledWith({
      url: 'https://roster.example.com',
      token: TOKEN,
      sessionOnly: false,
    });
    expect(within(card).getAllByText('Example Ltd').length).toBeGreaterThan(0);
    expect(card).toHaveTextContent('Ada Admin (ada@example.com)');
    expect(card).toHaveTextContent('Saved in the keyring');
    expect(card).toHaveTextContent('Roster on ada-laptop');
    expect(screen.getByLabelText(/API token/)).toHaveValue('');
    expect(card).not.toHaveTextContent(TOKEN);
  });

  it('shows an address error under the address field', async () => {
    connectSync.mockRejectedValue({
      code: 'invalid',
      field: 'url',
      key: 'sync.url_https',
      message: 'The directory server’s address must start with https://.',
      args: {},
    });
    await fillAndConnect('http://roster.example.com');
    const field = screen.getByLabelText(/Server address/);
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByText(/over http:\/\/ the API token/)).toBeInTheDocument();
    expect(screen.queryByText('Cannot connect')).not.toBeInTheDocument();
  });

  it('refuses a server of another organisation with the page alert', async () => {
    connectSync.mockRejectedValue({
      code: 'conflict',
      key: 'sync.other_organisation',
      message: 'other',
      args: {
        server: 'https://other.example.com',
        serverOrganisation: 'Other Corp',
        organisation: 'Example Ltd',
      },
    });
    await fillAndConnect('https://other.example.com');
    const alert = alertTitled(await screen.findByText('Cannot connect'));
    expect(alert).toHaveTextContent('manages another organisation, “Other Corp”');
    expect(alert).toHaveTextContent('Nothing was changed.');
    expect(screen.queryByRole('region', { name: 'Connected' })).not.toBeInTheDocument();
  });

  it('offers to keep the token for this session when the keyring is locked', async () => {
    connectSync.mockRejectedValueOnce({
      code: 'unavailable',
      field: 'token',
      key: 'keyring.locked',
      message: 'The system keyring is locked.',
      args: {},
    });
    connectSync.mockResolvedValueOnce({ ...connected, tokenStore: 'session' } as never);
    const user = await fillAndConnect();
    const alert = alertTitled(await screen.findByText('The token cannot be stored in the keyring'));
    await user.click(within(alert).getByRole('button', { name: 'Keep the token for this session only' }));
    const card = await screen.findByRole('region', { name: 'Connected' });
    expect(connectSync).toHaveBeenLastCalledWith({
      url: 'https://roster.example.com',
      token: TOKEN,
      sessionOnly: true,
    });
    expect(card).toHaveTextContent('Kept until Roster closes');
  });

  it('refuses an empty server of another organisation with the advice to join it', async () => {
    getSettings.mockResolvedValue(disconnected as never);
    connectSync.mockRejectedValue({
      code: 'conflict',
      key: 'sync.empty_server',
      message: 'empty',
      args: { server: 'https://new.example.com', serverOrganisation: 'New Org', organisation: 'Example Ltd' },
    });
    await fillAndConnect('https://new.example.com');
    const alert = alertTitled(await screen.findByText('Cannot connect'));
    expect(alert).toHaveTextContent('“New Org”, which is still empty');
    expect(alert).toHaveTextContent('Connect to your organisation’s directory server');
    expect(screen.queryByText('The server is empty')).not.toBeInTheDocument();
  });

  it('disconnects only after the confirmation', async () => {
    getSettings.mockResolvedValue(connected as never);
    disconnectSync.mockResolvedValue(disconnected as never);
    const user = userEvent.setup();
    renderScreen(<SyncSettingsPage />);
    const card = await screen.findByRole('region', { name: 'Connected' });
    await user.click(within(card).getByRole('button', { name: 'Disconnect' }));
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect from https://roster.example.com?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(disconnectSync).not.toHaveBeenCalled();

    await user.click(within(card).getByRole('button', { name: 'Disconnect' }));
    const again = await screen.findByRole('dialog', { name: /Disconnect from/ });
    await user.click(within(again).getByRole('button', { name: 'Disconnect' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Connected' })).not.toBeInTheDocument());
    expect(disconnectSync).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('heading', { name: 'Directory server' })).toBeInTheDocument();
  });

  describe('status', () => {
    it('shows when it last synced, what waits, and follows the status events', async () => {
      getSettings.mockResolvedValue(connected as never);
      const twoMinutesAgo = new Date(Date.now() - 2 * 60_000).toISOString();
      getStatus.mockResolvedValue({ ...idle, pending: 3, lastSyncAt: twoMinutesAgo } as never);
      renderScreen(<SyncSettingsPage />);
      const card = await screen.findByRole('region', { name: 'Status' });
      expect(await within(card).findByText('Last synced 2 minutes ago')).toBeInTheDocument();
      expect(card).toHaveTextContent('3 changes waiting for sync');

      statusListener?.({ ...idle, running: true, pending: 1, lastSyncAt: twoMinutesAgo });
      expect(await within(card).findByText('1 change waiting for sync')).toBeInTheDocument();
      expect(within(card).getByRole('status')).toHaveTextContent('Syncing…');

      statusListener?.({
        ...idle,
        pending: 1,
        lastSyncAt: twoMinutesAgo,
        lastError: {
          code: 'unavailable',
          key: 'sync.unreachable',
          message: 'x',
          args: { server: 'https://roster.example.com' },
        },
      } as SyncStatus);
      const alert = await within(card).findByText('The last sync failed');
      expect(alert.closest('[role="alert"]') ?? card).toHaveTextContent('https://roster.example.com');
      expect(within(card).queryByRole('status')).not.toBeInTheDocument();
    });

    it('syncs now and shows the new status', async () => {
      getSettings.mockResolvedValue(connected as never);
      getStatus.mockResolvedValue({ ...idle, pending: 2 } as never);
      syncNow.mockResolvedValue({ ...idle, lastSyncAt: new Date().toISOString() } as never);
      const user = userEvent.setup();
      renderScreen(<SyncSettingsPage />);
      const card = await screen.findByRole('region', { name: 'Status' });
      expect(await within(card).findByText('Not synced yet since Roster started.')).toBeInTheDocument();
      getStatus.mockResolvedValue({ ...idle, lastSyncAt: new Date().toISOString() } as never);
      await user.click(within(card).getByRole('button', { name: 'Sync now' }));
      expect(syncNow).toHaveBeenCalledTimes(1);
      expect(await within(card).findByText(/No changes waiting/)).toBeInTheDocument();
      expect(card).toHaveTextContent('Last synced now');
    });

    it('shows a failed Sync now with its message', async () => {
      getSettings.mockResolvedValue(connected as never);
      getStatus.mockResolvedValue({ ...idle, pending: 2 } as never);
      syncNow.mockRejectedValue({
        code: 'unavailable',
        key: 'sync.timeout',
        message: 'x',
        args: { server: 'https://roster.example.com' },
      });
      const user = userEvent.setup();
      renderScreen(<SyncSettingsPage />);
      const card = await screen.findByRole('region', { name: 'Status' });
      await user.click(await within(card).findByRole('button', { name: 'Sync now' }));
      expect(
        await screen.findByText(
          /The directory server at https:\/\/roster.example.com did not answer in time/,
        ),
      ).toBeInTheDocument();
      expect(card).toHaveTextContent('2 changes waiting for sync');
    });

    it('is not shown while not connected', async () => {
      renderScreen(<SyncSettingsPage />);
      expect(await screen.findByRole('heading', { name: 'Directory server' })).toBeInTheDocument();
      expect(screen.queryByRole('region', { name: 'Status' })).not.toBeInTheDocument();
    });
  });
});
