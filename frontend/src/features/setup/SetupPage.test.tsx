import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Sync from '../../../wailsjs/go/app/Sync';
import * as System from '../../../wailsjs/go/app/System';
import { systemKeys } from '../../api/system';
import { renderWithProviders } from '../../test/render';
import { SetupPage } from './SetupPage';

vi.mock('../../../wailsjs/go/app/System', () => ({
  CompleteSetup: vi.fn(),
  GetState: vi.fn(),
  UpdatePreferences: vi.fn(),
}));

vi.mock('../../../wailsjs/go/app/Sync', () => ({ JoinSync: vi.fn() }));

const completeSetup = vi.mocked(System.CompleteSetup);
const joinSync = vi.mocked(Sync.JoinSync);
const getState = vi.mocked(System.GetState);

async function chooseJoin(user: ReturnType<typeof userEvent.setup>, url: string, token: string) {
  await user.click(screen.getByRole('radio', { name: 'Connect to your organisation’s directory server' }));
  await user.type(await screen.findByLabelText(/Server address/), url);
  await user.type(screen.getByLabelText(/API token/), token);
  await user.click(screen.getByRole('button', { name: 'Connect and copy' }));
}

async function fill(user: ReturnType<typeof userEvent.setup>, org: string, name: string, email: string) {
  if (org) await user.type(screen.getByLabelText(/Organisation name/), org);
  if (name) await user.type(screen.getByLabelText(/Your name/), name);
  if (email) await user.type(screen.getByLabelText(/Your email address/), email);
  await user.click(screen.getByRole('button', { name: 'Set up Roster' }));
}

describe('SetupPage', () => {
  beforeEach(() => {
    completeSetup.mockReset();
    joinSync.mockReset();
    getState.mockReset();
    window.location.hash = '';
  });

  it('asks for every field before calling the backend', async () => {
    const user = userEvent.setup();
    renderWithProviders(<SetupPage />);
    await fill(user, 'Example Ltd', '', '');
    expect(await screen.findByText('Enter a name.')).toBeInTheDocument();
    expect(screen.getByText('Enter an email address.')).toBeInTheDocument();
    expect(completeSetup).not.toHaveBeenCalled();
  });

  it('shows the backend’s field error under the field it names', async () => {
    completeSetup.mockRejectedValue({
      code: 'invalid',
      field: 'adminEmail',
      key: 'email.domain_dot',
      message: 'The domain “localhost” needs a dot, like example.com.',
      args: { domain: 'localhost' },
    });
    const user = userEvent.setup();
    renderWithProviders(<SetupPage />);
    await fill(user, 'Example Ltd', 'Ada Admin', 'ada@localhost');
    expect(
      await screen.findByText('The domain “localhost” needs a dot, like example.com.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/Your email address/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('sends the values and stores the new state', async () => {
    const state = {
      setupComplete: true,
      organisation: { name: 'Example Ltd', createdAt: '2026-03-02T09:30:00.000Z' },
      admin: { id: '1', name: 'Ada Admin', email: 'ada@example.com' },
      language: '',
      systemLanguage: 'en',
      version: '0.1.0',
      databasePath: '/tmp/roster.db',
    };
    completeSetup.mockResolvedValue(state as never);
    const user = userEvent.setup();
    const { client } = renderWithProviders(<SetupPage />);
    await fill(user, 'Example Ltd', 'Ada Admin', 'ada@example.com');
    await waitFor(() => expect(client.getQueryData(systemKeys.state)).toEqual(state));
    expect(completeSetup).toHaveBeenCalledWith({
      organisationName: 'Example Ltd',
      adminName: 'Ada Admin',
      adminEmail: 'ada@example.com',
    });
  });

  it('offers a new organisation first, and joining the directory server beside it', async () => {
    const user = userEvent.setup();
    renderWithProviders(<SetupPage />);
    expect(screen.getByRole('radio', { name: 'Set up a new organisation' })).toBeChecked();
    expect(screen.getByLabelText(/Organisation name/)).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Connect to your organisation’s directory server' }));
    expect(await screen.findByLabelText(/Server address/)).toBeInTheDocument();
    expect(screen.queryByLabelText(/Organisation name/)).not.toBeInTheDocument();
  });

  it('joins the server, reloads the state and opens Users', async () => {
    joinSync.mockResolvedValue({
      connected: true,
      url: 'https://roster.example.com',
      organisationName: 'Server Org',
      administratorName: 'Grace Hopper',
      tokenStore: 'keyring',
    } as never);
    getState.mockResolvedValue({ setupComplete: true } as never);
    const user = userEvent.setup();
    renderWithProviders(<SetupPage />);
    await chooseJoin(user, 'https://roster.example.com', 'rst_0123456789abcdef');
    await waitFor(() => expect(window.location.hash).toBe('#/admin/users'));
    expect(joinSync).toHaveBeenCalledWith({
      url: 'https://roster.example.com',
      token: 'rst_0123456789abcdef',
      sessionOnly: false,
    });
    expect(await screen.findByText('Connected to Server Org. Welcome, Grace Hopper.')).toBeInTheDocument();
  });

  it('shows a failed join and lets it be tried again', async () => {
    joinSync.mockRejectedValueOnce({
      code: 'unavailable',
      key: 'sync.unreachable',
      message: 'x',
      args: { server: 'https://roster.example.com' },
    });
    joinSync.mockRejectedValueOnce({
      code: 'forbidden',
      field: 'token',
      key: 'sync.token_refused',
      message: 'x',
      args: { server: 'https://roster.example.com' },
    });
    const user = userEvent.setup();
    renderWithProviders(<SetupPage />);
    await chooseJoin(user, 'https://roster.example.com', 'rst_0123456789abcdef');
    const title = await screen.findByText('Cannot connect');
    expect(title.closest('[role="alert"]')).toHaveTextContent('https://roster.example.com');
    expect(window.location.hash).toBe('');
    await user.click(screen.getByRole('button', { name: 'Connect and copy' }));
    expect(await screen.findByText(/refused the API token/)).toBeInTheDocument();
    expect(screen.queryByText('Cannot connect')).not.toBeInTheDocument();
    expect(joinSync).toHaveBeenCalledTimes(2);
  });
});
