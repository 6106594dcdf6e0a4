import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Audit from '../../../wailsjs/go/app/Audit';
import * as Roles from '../../../wailsjs/go/app/Roles';
import * as Sync from '../../../wailsjs/go/app/Sync';
import * as Users from '../../../wailsjs/go/app/Users';
import { user as member, roles } from '../../test/fixtures';
import { renderScreen } from '../../test/renderScreen';
import { lockReasons, UserPanel } from './UserPanel';

vi.mock('../../../wailsjs/go/app/Users', () => ({
  FindUserByID: vi.fn(),
  ChangeUserRole: vi.fn(),
  DeactivateUser: vi.fn(),
  ActivateUser: vi.fn(),
  RemoveUser: vi.fn(),
  SendPasswordReset: vi.fn(),
}));
vi.mock('../../../wailsjs/go/app/Roles', () => ({ FindRoles: vi.fn() }));
vi.mock('../../../wailsjs/go/app/Audit', () => ({ FindAuditEntries: vi.fn() }));
vi.mock('../../../wailsjs/go/app/Sync', () => ({
  GetSyncSettings: vi.fn(() => Promise.resolve({ connected: false })),
}));

const findUser = vi.mocked(Users.FindUserByID);
const changeRole = vi.mocked(Users.ChangeUserRole);
const removeUser = vi.mocked(Users.RemoveUser);

describe('UserPanel', () => {
  beforeEach(() => {
    findUser.mockReset();
    changeRole.mockReset();
    removeUser.mockReset();
    vi.mocked(Roles.FindRoles).mockResolvedValue(roles as never);
  });

  it('asks for confirmation before changing the role, and changes nothing on Cancel', async () => {
    findUser.mockResolvedValue(member() as never);
    const user = userEvent.setup();
    renderScreen(<UserPanel id="u-ben" onDone={() => {}} />);
    const role = await screen.findByRole('combobox', { name: 'Role' });
    await waitFor(() => expect(role).toHaveValue('User'));

    await user.click(role);
    await user.click(await screen.findByRole('option', { name: 'Support' }));
    const confirm = await screen.findByRole('dialog', { name: 'Change the role?' });
    expect(confirm).toHaveTextContent('Ben Becker will have the role Support instead of User');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(changeRole).not.toHaveBeenCalled();
    expect(role).toHaveValue('User');

    const changed = member({ roleId: 'r-support', roleName: 'Support' });
    changeRole.mockResolvedValue(changed as never);
    findUser.mockResolvedValue(changed as never);
    await user.click(role);
    await user.click(await screen.findByRole('option', { name: 'Support' }));
    await user.click(await screen.findByRole('button', { name: 'Change role' }));
    await waitFor(() => expect(changeRole).toHaveBeenCalledWith('u-ben', { roleId: 'r-support' }));
    await waitFor(() => expect(role).toHaveValue('Support'));
  });

  it('explains the last-admin rule and disables what it forbids', async () => {
    findUser.mockResolvedValue(
      member({
        id: 'u-ada',
        name: 'Ada Admin',
        roleId: 'administrator',
        roleName: 'Administrator',
        isLastAdmin: true,
      }) as never,
    );
    renderScreen(<UserPanel id="u-ada" onDone={() => {}} />);
    expect(await screen.findByText('The only active Administrator')).toBeInTheDocument();
    const text = screen.getByText(/Ada Admin is the only active Administrator/);
    expect(text).toHaveTextContent('Make someone else an Administrator first.');
    expect(screen.getByRole('combobox', { name: 'Role' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Deactivate' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Remove' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Remove' })).toHaveAccessibleDescription(
      /only active Administrator/,
    );
    expect(screen.getByRole('button', { name: 'Send password reset' })).toBeEnabled();
  });

  it('removes a member only after Remove user', async () => {
    findUser.mockResolvedValue(member() as never);
    removeUser.mockResolvedValue(member({ status: 'removed' }) as never);
    const onDone = vi.fn();
    const user = userEvent.setup();
    renderScreen(<UserPanel id="u-ben" onDone={onDone} />);
    await user.click(await screen.findByRole('button', { name: 'Remove' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove Ben Becker?' });
    expect(confirm).toHaveTextContent('loses access to the platform immediately. This cannot be undone');
    expect(removeUser).not.toHaveBeenCalled();
    // The confirming button says what it does, in red.
    const removeButton = screen.getByRole('button', { name: 'Remove user' });
    expect(removeButton).toHaveAttribute('data-destructive');
    await user.click(removeButton);
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(removeUser).toHaveBeenCalledWith('u-ben');
  });
});

describe('UserPanel history and last sign-in', () => {
  beforeEach(() => {
    findUser.mockReset();
    vi.mocked(Roles.FindRoles).mockResolvedValue(roles as never);
    vi.mocked(Audit.FindAuditEntries).mockReset();
  });

  it('says honestly that the last sign-in is not known here, and lists the history', async () => {
    findUser.mockResolvedValue(member({ lastSignInAt: '' }) as never);
    vi.mocked(Audit.FindAuditEntries).mockResolvedValue({
      entries: [
        {
          id: 7,
          at: '2026-03-06T10:00:00.000Z',
          actorName: 'Ada Admin',
          actorClient: 'Roster on ada-laptop',
          action: 'user.role_changed',
          targetId: 'u-ben',
        },
        {
          id: 3,
          at: '2026-03-05T09:30:00.000Z',
          actorName: 'Ben Becker',
          action: 'user.joined',
          targetId: 'u-ben',
        },
      ],
      total: 12,
    } as never);
    renderScreen(<UserPanel id="u-ben" onDone={() => {}} />);
    expect(await screen.findByTestId('last-sign-in')).toHaveTextContent(
      'Not known on this computer: members sign in on the directory server.',
    );
    const history = await screen.findByRole('list', { name: 'History of Ben Becker' });
    const items = within(history).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/^Role changed.*Ada Admin · via Roster on ada-laptop$/),
      expect.stringMatching(/^User joined.*Ben Becker$/),
    ]);
    expect(vi.mocked(Audit.FindAuditEntries)).toHaveBeenCalledWith(
      expect.objectContaining({ subject: 'u-ben', offset: 0, limit: 5 }),
    );
    expect(screen.getByText('The latest 2 of 12 entries.')).toBeInTheDocument();
    const all = screen.getByRole('link', { name: 'Show all in Audit log' });
    expect(all.getAttribute('href')).toBe('#/admin/audit?subject=u-ben&label=Ben+Becker');
  });

  it('says a member has not signed in yet when the directory server syncs here', async () => {
    vi.mocked(Sync.GetSyncSettings).mockResolvedValueOnce({ connected: true } as never);
    findUser.mockResolvedValue(member({ lastSignInAt: '' }) as never);
    vi.mocked(Audit.FindAuditEntries).mockResolvedValue({ entries: [], total: 0 } as never);
    renderScreen(<UserPanel id="u-ben" onDone={() => {}} />);
    await waitFor(() => expect(screen.getByTestId('last-sign-in')).toHaveTextContent('Not signed in yet'));
  });

  it('shows the last sign-in the directory server recorded', async () => {
    findUser.mockResolvedValue(member({ lastSignInAt: '2026-03-07T08:15:00.000Z' }) as never);
    vi.mocked(Audit.FindAuditEntries).mockResolvedValue({ entries: [], total: 0 } as never);
    renderScreen(<UserPanel id="u-ben" onDone={() => {}} />);
    const value = await screen.findByTestId('last-sign-in');
    expect(value).toHaveTextContent('2026');
    expect(value).not.toHaveTextContent('Not known');
    expect(await screen.findByText('Nothing recorded yet.')).toBeInTheDocument();
  });
});

describe('lockReasons', () => {
  it.each([
    [{ isSelf: false, isLastAdmin: false, status: 'active' }, []],
    [{ isSelf: true, isLastAdmin: false, status: 'active' }, ['self']],
    [{ isSelf: false, isLastAdmin: true, status: 'active' }, ['lastAdmin']],
    [{ isSelf: true, isLastAdmin: true, status: 'active' }, ['lastAdmin', 'self']],
    [{ isSelf: false, isLastAdmin: false, status: 'removed' }, ['removed']],
  ] as const)('%j gives %j', (u, want) => {
    expect(lockReasons(u)).toEqual(want);
  });
});
