import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Bulk from '../../../wailsjs/go/app/Bulk';
import * as Email from '../../../wailsjs/go/app/Email';
import * as Roles from '../../../wailsjs/go/app/Roles';
import * as Users from '../../../wailsjs/go/app/Users';
import { directory, giveLayout, roles } from '../../test/fixtures';
import { renderScreen } from '../../test/renderScreen';
import { UsersPage } from './UsersPage';

vi.mock('../../../wailsjs/go/app/Users', () => ({
  FindDirectory: vi.fn(),
  FindUserByID: vi.fn(),
  ExportUsers: vi.fn(),
}));
vi.mock('../../../wailsjs/go/app/Bulk', () => ({
  RemoveUsers: vi.fn(),
  DeactivateUsers: vi.fn(),
  ChangeUsersRole: vi.fn(),
  UserIDsMatching: vi.fn(),
  CancelBulk: vi.fn(),
}));
vi.mock('../../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}) }));
vi.mock('../../../wailsjs/go/app/Email', () => ({ GetEmailSettings: vi.fn() }));
vi.mock('../../../wailsjs/go/app/Roles', () => ({ FindRoles: vi.fn() }));

describe('UsersPage bulk actions', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = giveLayout();
  });
  afterAll(() => restore());
  beforeEach(() => {
    vi.mocked(Users.FindDirectory).mockResolvedValue({
      entries: directory,
      total: 3,
      atLeast: false,
    } as never);
    vi.mocked(Roles.FindRoles).mockResolvedValue(roles as never);
    vi.mocked(Email.GetEmailSettings).mockResolvedValue({ configured: true } as never);
  });

  it('selects members only, asks once with the count, and lists what failed and why, kept selected', async () => {
    vi.mocked(Bulk.RemoveUsers).mockResolvedValue({
      total: 2,
      done: 1,
      canceled: false,
      failed: [
        {
          id: 'u-ada',
          label: 'ada@example.com',
          error: { code: 'forbidden', message: 'You cannot remove yourself.', key: 'user.self.remove' },
        },
      ],
    } as never);
    const user = userEvent.setup();
    renderScreen(<UsersPage />);
    const table = await screen.findByRole('table', { name: 'Users and invitations' });
    await within(table).findByRole('row', { name: /ada@example\.com/ });
    // An invitation has no checkbox: it is managed under Invitations.
    expect(within(table).queryByRole('checkbox', { name: 'Select cleo@example.com' })).toBeNull();

    await user.click(within(table).getByRole('checkbox', { name: 'Select all users shown' }));
    const bar = screen.getByRole('region', { name: 'Selected users' });
    expect(bar).toHaveTextContent('2 selected');
    await user.click(within(bar).getByRole('button', { name: 'Remove' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove 2 users?' });
    expect(dialog).toHaveTextContent('This cannot be undone');
    await user.click(within(dialog).getByRole('button', { name: 'Remove 2 users' }));

    expect(vi.mocked(Bulk.RemoveUsers)).toHaveBeenCalledWith({ ids: ['u-ada', 'u-ben'] });
    const summary = await screen.findByRole('dialog', { name: 'Not everything could be done' });
    expect(summary).toHaveTextContent('1 of 2 done.');
    const failed = within(summary).getByRole('table', { name: 'What failed' });
    expect(within(failed).getAllByRole('row')[1]).toHaveTextContent(
      'ada@example.comYou cannot remove yourself.',
    );
    await user.click(within(summary).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(bar).toHaveTextContent('1 selected'));
    expect(within(table).getByRole('checkbox', { name: 'Select ada@example.com' })).toBeChecked();
    expect(within(table).getByRole('checkbox', { name: 'Select ben@example.com' })).not.toBeChecked();
  });

  it('clears the selection when the search changes', async () => {
    const user = userEvent.setup();
    renderScreen(<UsersPage />);
    const table = await screen.findByRole('table', { name: 'Users and invitations' });
    await user.click(await within(table).findByRole('checkbox', { name: 'Select ben@example.com' }));
    expect(screen.getByRole('region', { name: 'Selected users' })).toHaveTextContent('1 selected');
    await user.type(screen.getByRole('searchbox', { name: 'Search users' }), 'be');
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Selected users' })).toBeNull());
  });
});
