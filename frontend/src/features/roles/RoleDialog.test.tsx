import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Roles from '../../../wailsjs/go/app/Roles';
import type { Role } from '../../api/roles';
import { roles } from '../../test/fixtures';
import { renderScreen } from '../../test/renderScreen';
import { RoleDialog } from './RoleDialog';

vi.mock('../../../wailsjs/go/app/Roles', () => ({ CreateRole: vi.fn(), UpdateRole: vi.fn() }));

const createRole = vi.mocked(Roles.CreateRole);
const updateRole = vi.mocked(Roles.UpdateRole);

describe('RoleDialog', () => {
  beforeEach(() => {
    createRole.mockReset();
    updateRole.mockReset();
  });

  it('creates a role with the ticked permissions', async () => {
    createRole.mockResolvedValue({
      id: 'r1',
      name: 'Curator',
      permissions: ['chat', 'configure_models'],
    } as never);
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderScreen(<RoleDialog opened onClose={onClose} />);
    await user.type(screen.getByLabelText(/Name/), 'Curator');
    expect(screen.getByLabelText('Chat')).toBeChecked();
    await user.click(screen.getByLabelText('Configure models'));
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(createRole).toHaveBeenCalledWith({ name: 'Curator', permissions: ['chat', 'configure_models'] });
  });

  it('wants a name and at least one permission', async () => {
    const user = userEvent.setup();
    renderScreen(<RoleDialog opened onClose={() => {}} />);
    await user.click(screen.getByLabelText('Chat'));
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    expect(await screen.findByText('Enter a name.')).toBeInTheDocument();
    expect(screen.getByText('Give the role at least one permission.')).toBeInTheDocument();
    expect(createRole).not.toHaveBeenCalled();
  });

  it('shows a taken name under the name field', async () => {
    createRole.mockRejectedValue({
      code: 'conflict',
      field: 'name',
      key: 'role.exists',
      message: 'A role named “support” exists already.',
      args: { name: 'support' },
    });
    const user = userEvent.setup();
    renderScreen(<RoleDialog opened onClose={() => {}} />);
    await user.type(screen.getByLabelText(/Name/), 'support');
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    expect(await screen.findByText('A role named “support” exists already.')).toBeInTheDocument();
    expect(screen.getByLabelText(/Name/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('edits a custom role, starting from its permissions', async () => {
    const support = roles[2] as unknown as Role;
    updateRole.mockResolvedValue({ ...support, permissions: ['chat'] } as never);
    const user = userEvent.setup();
    renderScreen(<RoleDialog opened role={support} onClose={() => {}} />);
    expect(screen.getByRole('dialog', { name: 'Edit the role Support' })).toBeInTheDocument();
    expect(screen.getByLabelText(/Name/)).toHaveValue('Support');
    expect(screen.getByLabelText('Use skills')).toBeChecked();
    await user.click(screen.getByLabelText('Use skills'));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(updateRole).toHaveBeenCalledWith('r-support', { name: 'Support', permissions: ['chat'] }),
    );
  });
});
