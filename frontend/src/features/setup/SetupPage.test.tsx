import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as System from '../../../wailsjs/go/app/System';
import { systemKeys } from '../../api/system';
import { renderWithProviders } from '../../test/render';
import { SetupPage } from './SetupPage';

vi.mock('../../../wailsjs/go/app/System', () => ({
  CompleteSetup: vi.fn(),
  GetState: vi.fn(),
  UpdatePreferences: vi.fn(),
}));

const completeSetup = vi.mocked(System.CompleteSetup);

async function fill(user: ReturnType<typeof userEvent.setup>, org: string, name: string, email: string) {
  if (org) await user.type(screen.getByLabelText(/Organisation name/), org);
  if (name) await user.type(screen.getByLabelText(/Your name/), name);
  if (email) await user.type(screen.getByLabelText(/Your email address/), email);
  await user.click(screen.getByRole('button', { name: 'Set up Roster' }));
}

describe('SetupPage', () => {
  beforeEach(() => {
    completeSetup.mockReset();
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
});
