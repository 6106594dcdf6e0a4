import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
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
  ChangeUserRole: vi.fn(),
  DeactivateUser: vi.fn(),
  ActivateUser: vi.fn(),
  RemoveUser: vi.fn(),
  SendPasswordReset: vi.fn(),
}));
vi.mock('../../../wailsjs/go/app/Email', () => ({ GetEmailSettings: vi.fn() }));
vi.mock('../../../wailsjs/go/app/Roles', () => ({
  FindRoles: vi.fn(),
  CreateRole: vi.fn(),
  UpdateRole: vi.fn(),
  DeleteRole: vi.fn(),
}));
vi.mock('../../../wailsjs/go/app/Invitations', () => ({
  InviteUser: vi.fn(),
  FindInvitationByID: vi.fn(),
  DeleteInvitation: vi.fn(),
  ResendInvitation: vi.fn(),
}));

const findDirectory = vi.mocked(Users.FindDirectory);
const lastCall = () => findDirectory.mock.calls[findDirectory.mock.calls.length - 1]?.[0];

describe('UsersPage', () => {
  let restore: () => void;
  beforeAll(() => {
    restore = giveLayout();
  });
  afterAll(() => restore());
  beforeEach(() => {
    findDirectory.mockReset();
    findDirectory.mockResolvedValue({ entries: directory, total: 3, atLeast: false } as never);
    vi.mocked(Roles.FindRoles).mockResolvedValue(roles as never);
    vi.mocked(Email.GetEmailSettings).mockResolvedValue({ configured: true } as never);
  });

  it('shows members and invitations in one table, fetched a page at a time', async () => {
    renderScreen(<UsersPage />);
    const table = await screen.findByRole('table', { name: 'Users and invitations' });
    const ada = await within(table).findByRole('row', { name: /ada@example\.com/ });
    expect(ada).toHaveTextContent('Ada Admin');
    expect(ada).toHaveTextContent('Administrator');
    expect(ada).toHaveTextContent('Active');
    const cleo = within(table).getByRole('row', { name: /cleo@example\.com/ });
    // An invitation shows when it was issued, and no join date: it has not joined.
    expect(cleo).toHaveTextContent(/Invited .*2026/);
    expect(within(cleo).getAllByRole('cell')[4]).toHaveTextContent(/^—$/);
    expect(cleo).toHaveTextContent('Pending');
    // The count waits for the total, which may arrive after the rows under load.
    await waitFor(() => expect(screen.getByTestId('users-count')).toHaveTextContent('3 entries'));
    expect(findDirectory).toHaveBeenCalledWith({
      search: '',
      roleId: '',
      status: '',
      sort: 'name',
      desc: false,
      offset: 0,
      limit: 100,
    });
  });

  it('sorts by a column header: ascending, then descending', async () => {
    const user = userEvent.setup();
    renderScreen(<UsersPage />);
    await screen.findByRole('row', { name: /ada@example\.com/ });
    const header = screen.getByRole('columnheader', { name: 'Join date' });
    expect(header).toHaveAttribute('aria-sort', 'none');
    expect(screen.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending');

    await user.click(within(header).getByRole('button'));
    expect(header).toHaveAttribute('aria-sort', 'ascending');
    await waitFor(() => expect(lastCall()).toMatchObject({ sort: 'joinedAt', desc: false, offset: 0 }));
    await user.click(within(header).getByRole('button'));
    expect(header).toHaveAttribute('aria-sort', 'descending');
    await waitFor(() => expect(lastCall()).toMatchObject({ sort: 'joinedAt', desc: true }));
    expect(screen.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'none');
  });

  it('searches after typing stops, and filters by role and status', async () => {
    const user = userEvent.setup();
    renderScreen(<UsersPage />);
    await screen.findByRole('row', { name: /ada@example\.com/ });

    await user.type(screen.getByRole('searchbox', { name: 'Search users' }), 'ben');
    await waitFor(() => expect(lastCall()).toMatchObject({ search: 'ben', offset: 0 }));
    // One call for the finished word, not one per letter.
    expect(findDirectory.mock.calls.filter(([p]) => p.search === 'b' || p.search === 'be')).toHaveLength(0);

    await user.click(screen.getByRole('combobox', { name: 'Filter by role' }));
    await user.click(await screen.findByRole('option', { name: 'Support' }));
    await waitFor(() => expect(lastCall()).toMatchObject({ search: 'ben', roleId: 'r-support' }));

    await user.click(screen.getByRole('combobox', { name: 'Filter by status' }));
    await user.click(await screen.findByRole('option', { name: 'Expired' }));
    await waitFor(() => expect(lastCall()).toMatchObject({ roleId: 'r-support', status: 'expired' }));
  });

  it('says 10,000+ when the total is only a lower bound', async () => {
    findDirectory.mockResolvedValue({ entries: directory, total: 10_000, atLeast: true } as never);
    renderScreen(<UsersPage />);
    expect(await screen.findByText('10,000+ entries')).toBeInTheDocument();
  });

  it('welcomes a new organisation, where the administrator is alone', async () => {
    findDirectory.mockResolvedValue({ entries: directory.slice(0, 1), total: 1, atLeast: false } as never);
    renderScreen(<UsersPage />);
    expect(await screen.findByText('Only you so far')).toBeInTheDocument();
    expect(screen.getByTestId('users-count')).toHaveTextContent('1 entry');
  });

  it('without a mail server, says the emails wait, with a link to Email', async () => {
    vi.mocked(Email.GetEmailSettings).mockResolvedValue({ configured: false } as never);
    findDirectory.mockResolvedValue({ entries: directory.slice(0, 1), total: 1, atLeast: false } as never);
    renderScreen(<UsersPage />);
    const banner = await screen.findByTestId('mail-setup-banner');
    expect(banner).toHaveTextContent('Emails cannot be sent yet');
    expect(within(banner).getByRole('link', { name: 'Set up Email' })).toHaveAttribute(
      'href',
      '#/admin/email',
    );
    expect(await screen.findByText(/once a mail server is set up under Email/)).toBeInTheDocument();
  });

  it('offers Invite one user from the Invite user menu', async () => {
    const user = userEvent.setup();
    renderScreen(<UsersPage />);
    await user.click(screen.getByRole('button', { name: 'Invite user' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Invite one user' }));
    expect(await screen.findByRole('dialog', { name: 'Invite one user' })).toBeInTheDocument();
  });
});
