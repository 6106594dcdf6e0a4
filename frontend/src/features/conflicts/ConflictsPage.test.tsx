import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Conflicts from '../../../wailsjs/go/app/Conflicts';
import * as Roles from '../../../wailsjs/go/app/Roles';
import type { app } from '../../../wailsjs/go/models';
import { roles } from '../../test/fixtures';
import { renderScreen } from '../../test/renderScreen';
import { ConflictsPage } from './ConflictsPage';

vi.mock('../../../wailsjs/go/app/Conflicts', () => ({
  FindConflicts: vi.fn(),
  DiscardConflict: vi.fn(),
  ApplyAgain: vi.fn(),
}));
vi.mock('../../../wailsjs/go/app/Roles', () => ({ FindRoles: vi.fn() }));

const findConflicts = vi.mocked(Conflicts.FindConflicts);
const discardConflict = vi.mocked(Conflicts.DiscardConflict);
const applyAgain = vi.mocked(Conflicts.ApplyAgain);

const row = {
  missing: false,
  name: '',
  email: '',
  roleId: '',
  roleName: '',
  status: '',
  permissions: [],
};

/** invite is this computer's invitation of sam, refused: the server has one of its own. */
const invite = {
  seq: 7,
  kind: 'invitation.create',
  at: '2026-03-02T09:30:00.000Z',
  mine: {
    ...row,
    entity: 'invitation',
    id: 'i-mine',
    email: 'sam@example.com',
    roleId: 'user',
    roleName: 'User',
    status: 'pending',
  },
  error: {
    code: 'conflict',
    message: 'sam@example.com has an invitation already.',
    field: 'email',
    key: 'invitation.exists',
    args: { email: 'sam@example.com' },
  },
  server: [
    {
      ...row,
      entity: 'invitation',
      id: 'i-theirs',
      email: 'sam@example.com',
      roleId: 'administrator',
      roleName: 'Administrator',
      status: 'pending',
    },
  ],
  repeatable: true,
} as unknown as app.ConflictDTO;

describe('ConflictsPage', () => {
  beforeEach(() => {
    findConflicts.mockReset();
    discardConflict.mockReset();
    applyAgain.mockReset();
    vi.mocked(Roles.FindRoles).mockResolvedValue(roles as never);
  });

  it('says when there are no conflicts', async () => {
    findConflicts.mockResolvedValue([]);
    renderScreen(<ConflictsPage />);
    expect(await screen.findByRole('heading', { name: 'No conflicts' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Discard mine' })).not.toBeInTheDocument();
  });

  it('shows what you did, why, and what the server has', async () => {
    findConflicts.mockResolvedValue([invite]);
    renderScreen(<ConflictsPage />);
    const card = await screen.findByRole('region', { name: 'Invited a user' });
    expect(within(card).getByText('What you did')).toBeInTheDocument();
    expect(within(card).getByText('What the server has')).toBeInTheDocument();
    expect(within(card).getByText('Why the server refused it')).toBeInTheDocument();
    expect(within(card).getAllByText('sam@example.com')).toHaveLength(2);
    expect(within(card).getByText('User')).toBeInTheDocument();
    expect(within(card).getByText('Administrator')).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: 'Apply again' })).toBeInTheDocument();
  });

  it('discards mine', async () => {
    findConflicts.mockResolvedValueOnce([invite]).mockResolvedValue([]);
    discardConflict.mockResolvedValue(undefined as never);
    const user = userEvent.setup();
    renderScreen(<ConflictsPage />);
    await user.click(await screen.findByRole('button', { name: 'Discard mine' }));
    await waitFor(() => expect(discardConflict).toHaveBeenCalledWith(7));
    expect(await screen.findByRole('heading', { name: 'No conflicts' })).toBeInTheDocument();
  });

  it('applies again with an edited address', async () => {
    findConflicts.mockResolvedValueOnce([invite]).mockResolvedValue([]);
    applyAgain.mockResolvedValue(undefined as never);
    const user = userEvent.setup();
    renderScreen(<ConflictsPage />);
    await user.click(await screen.findByRole('button', { name: 'Apply again' }));
    const dialog = await screen.findByRole('dialog');
    const email = within(dialog).getByLabelText(/Email address/);
    expect(email).toHaveValue('sam@example.com');
    await user.clear(email);
    await user.type(email, 'sam.two@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Apply again' }));
    await waitFor(() =>
      expect(applyAgain).toHaveBeenCalledWith(7, {
        email: 'sam.two@example.com',
        roleId: 'user',
        name: '',
        permissions: null,
      }),
    );
    expect(await screen.findByRole('heading', { name: 'No conflicts' })).toBeInTheDocument();
  });

  it('shows a local refusal under its field and keeps the conflict', async () => {
    findConflicts.mockResolvedValue([invite]);
    applyAgain.mockRejectedValue({
      code: 'conflict',
      message: 'sam@example.com has an invitation already.',
      field: 'email',
      key: 'invitation.exists',
      args: { email: 'sam@example.com' },
    });
    const user = userEvent.setup();
    renderScreen(<ConflictsPage />);
    await user.click(await screen.findByRole('button', { name: 'Apply again' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Apply again' }));
    expect(await within(dialog).findByText(/has an invitation already|already/)).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });
});
