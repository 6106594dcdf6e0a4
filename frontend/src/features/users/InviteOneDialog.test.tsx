import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Email from '../../../wailsjs/go/app/Email';
import * as Invitations from '../../../wailsjs/go/app/Invitations';
import * as Roles from '../../../wailsjs/go/app/Roles';
import { i18n } from '../../i18n';
import { roles } from '../../test/fixtures';
import { renderScreen } from '../../test/renderScreen';
import { InviteOneDialog } from './InviteOneDialog';

vi.mock('../../../wailsjs/go/app/Invitations', () => ({ InviteUser: vi.fn() }));
vi.mock('../../../wailsjs/go/app/Roles', () => ({ FindRoles: vi.fn() }));
vi.mock('../../../wailsjs/go/app/Email', () => ({ GetEmailSettings: vi.fn() }));

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
    vi.mocked(Email.GetEmailSettings).mockResolvedValue({ configured: true } as never);
  });

  describe('without a mail server', () => {
    beforeEach(() => {
      vi.mocked(Email.GetEmailSettings).mockResolvedValue({ configured: false } as never);
    });

    it('says the invitation is stored and its email waits, not that it is sent', async () => {
      inviteUser.mockResolvedValue({ id: 'i1', email: 'grace@example.com' } as never);
      const { user, onClose } = setup();
      expect(
        await screen.findByText(
          /No mail server is set up yet, so the email with the registration link waits/,
        ),
      ).toBeInTheDocument();
      expect(screen.queryByText(/Your colleague receives an email/)).not.toBeInTheDocument();
      await user.type(screen.getByLabelText(/Email address/), 'grace@example.com');
      await user.click(screen.getByRole('button', { name: 'Send invitation' }));
      await waitFor(() => expect(onClose).toHaveBeenCalled());
      expect(
        await screen.findByText(
          'The invitation for grace@example.com is stored. Its email waits until a mail server is set up under Email.',
        ),
      ).toBeInTheDocument();
      expect(screen.queryByText(/will receive an email/)).not.toBeInTheDocument();
    });
  });

  it('with a mail server, says the colleague will receive an email', async () => {
    inviteUser.mockResolvedValue({ id: 'i1', email: 'grace@example.com' } as never);
    const { user, onClose } = setup();
    expect(await screen.findByText(/Your colleague receives an email/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Email address/), 'grace@example.com');
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(
      await screen.findByText('grace@example.com will receive an email with a registration link.'),
    ).toBeInTheDocument();
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
    expect(inviteUser).toHaveBeenCalledWith({
      email: 'dan@example.com',
      role: 'administrator',
      confirmLookalike: false,
    });
  });

  describe('an address whose domain mixes alphabets', () => {
    const fake = 'ada@ex\u0430mple.com';
    const refusal = {
      code: 'invalid',
      field: 'confirmLookalike',
      key: 'email.lookalike',
      message: `The domain of ${fake} mixes alphabets, so it can look like another address; its real form is ada@xn--exmple-4nf.com. Confirm that this is the address you mean.`,
      args: { email: fake, punycode: 'ada@xn--exmple-4nf.com' },
    };

    it('is shown beside its punycode form and sent only once confirmed', async () => {
      inviteUser.mockRejectedValueOnce(refusal).mockResolvedValueOnce({ id: 'i1', email: fake } as never);
      const { user, onClose } = setup();
      await user.type(screen.getByLabelText(/Email address/), fake);
      await user.click(screen.getByRole('button', { name: 'Send invitation' }));

      const warning = await screen.findByRole('alert', { name: 'This address can look like another one' });
      expect(within(warning).getByText(fake)).toBeInTheDocument();
      expect(within(warning).getByText('ada@xn--exmple-4nf.com')).toBeInTheDocument();
      expect(inviteUser).toHaveBeenCalledTimes(1);
      expect(inviteUser).toHaveBeenLastCalledWith({ email: fake, role: 'user', confirmLookalike: false });

      // Sending again without ticking the box asks for it and calls nothing.
      await user.click(screen.getByRole('button', { name: 'Send invitation' }));
      expect(
        await screen.findByText('Tick the box to invite this address, or correct it.'),
      ).toBeInTheDocument();
      expect(inviteUser).toHaveBeenCalledTimes(1);

      await user.click(
        screen.getByRole('checkbox', { name: 'I have checked this address and want to invite it' }),
      );
      await user.click(screen.getByRole('button', { name: 'Send invitation' }));
      await waitFor(() => expect(onClose).toHaveBeenCalled());
      expect(inviteUser).toHaveBeenLastCalledWith({ email: fake, role: 'user', confirmLookalike: true });
    });

    it('loses its warning and its confirmation when the address is edited', async () => {
      inviteUser.mockRejectedValue(refusal);
      const { user } = setup();
      const input = screen.getByLabelText(/Email address/);
      await user.type(input, fake);
      await user.click(screen.getByRole('button', { name: 'Send invitation' }));
      await user.click(await screen.findByRole('checkbox', { name: /I have checked this address/ }));
      await user.type(input, 'x');
      expect(screen.queryByRole('alert', { name: /look like another/ })).not.toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Send invitation' }));
      await waitFor(() => expect(inviteUser).toHaveBeenCalledTimes(2));
      expect(inviteUser).toHaveBeenLastCalledWith({
        email: `${fake}x`,
        role: 'user',
        confirmLookalike: false,
      });
      expect(await screen.findByRole('checkbox', { name: /I have checked this address/ })).not.toBeChecked();
    });

    it('is explained in German', async () => {
      await i18n.changeLanguage('de');
      try {
        inviteUser.mockRejectedValue(refusal);
        const { user } = setup();
        await user.type(screen.getByLabelText(/E-Mail-Adresse/), fake);
        await user.click(screen.getByRole('button', { name: 'Einladung senden' }));
        const warning = await screen.findByRole('alert', {
          name: 'Diese Adresse kann wie eine andere aussehen',
        });
        expect(within(warning).getByText('ada@xn--exmple-4nf.com')).toBeInTheDocument();
        expect(
          screen.getByRole('checkbox', { name: 'Ich habe diese Adresse geprüft und möchte sie einladen' }),
        ).toBeInTheDocument();
      } finally {
        await i18n.changeLanguage('en');
      }
    });
  });
});
