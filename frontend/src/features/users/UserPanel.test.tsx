import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Roles from '../../../wailsjs/go/app/Roles';
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
