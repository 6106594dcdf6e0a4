import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Invitations from '../../../wailsjs/go/app/Invitations';
import * as Roles from '../../../wailsjs/go/app/Roles';
import { roles } from '../../test/fixtures';
import { renderScreen } from '../../test/renderScreen';
import { InviteOneDialog } from './InviteOneDialog';

vi.mock('../../../wailsjs/go/app/Invitations', () => ({ InviteUser: vi.fn() }));
vi.mock('../../../wailsjs/go/app/Roles', () => ({ FindRoles: vi.fn() }));

const inviteUser = vi.mocked(Invitations.InviteUser);

function setup() {
  const onClose = vi.fn();
  const user = userEvent.setup();
  renderScreen(<InviteOneDialog opened onClose={onClose} />);
  return { user, onClose };
}

describe('InviteOneDialog', () => {
  beforeEach(() => {
    inviteUser.mockReset();
    vi.mocked(Roles.FindRoles).mockResolvedValue(roles as never);
  });

  it('asks for an address before calling the backend', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('Enter an email address.')).toBeInTheDocument();
    expect(inviteUser).not.toHaveBeenCalled();
  });

  it('shows the backend’s error under the email field', async () => {
    inviteUser.mockRejectedValue({
      code: 'conflict',
      field: 'email',
      key: 'invitation.exists_expired',
      message: 'cleo@example.com has an expired invitation. Resend it, or delete it and invite again.',
      args: { email: 'cleo@example.com' },
    });
    const { user, onClose } = setup();
    await user.type(screen.getByLabelText(/Email address/), 'cleo@example.com');
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(
      await screen.findByText(
        'cleo@example.com has an expired invitation. Resend it, or delete it and invite again.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/Email address/)).toHaveAttribute('aria-invalid', 'true');
    expect(onClose).not.toHaveBeenCalled();
  });

  it('shows an error about the role under the role field', async () => {
    inviteUser.mockRejectedValue({
      code: 'invalid',
      field: 'role',
      key: 'role.unknown',
      message: 'There is no role “Gone”. Use one of: User, Administrator.',
      args: { role: 'Gone', roles: 'User, Administrator' },
    });
    const { user } = setup();
    await user.type(screen.getByLabelText(/Email address/), 'dan@example.com');
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(
      await screen.findByText('There is no role “Gone”. Use one of: User, Administrator.'),
    ).toBeInTheDocument();
  });

  it('sends the address and the chosen role, then closes', async () => {
    inviteUser.mockResolvedValue({ id: 'i1', email: 'dan@example.com' } as never);
    const { user, onClose } = setup();
    expect(await screen.findByText('Can chat, use skills, and create their own')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Email address/), 'dan@example.com');
    await user.click(screen.getByRole('combobox', { name: /Role/ }));
    await user.click(await screen.findByRole('option', { name: 'Administrator' }));
    expect(
      screen.getByText('Additionally: Manage users, change settings, configure models'),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(inviteUser).toHaveBeenCalledWith({ email: 'dan@example.com', role: 'administrator' });
  });
});
