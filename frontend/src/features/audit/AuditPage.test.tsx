import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Audit from '../../../wailsjs/go/app/Audit';
import type { AuditEntry } from '../../api/audit';
import { renderScreen } from '../../test/renderScreen';
import { AuditPage } from './AuditPage';

vi.mock('../../../wailsjs/go/app/Audit', () => ({
  FindAuditEntries: vi.fn(),
  ExportAuditLog: vi.fn(),
}));

const entry = (e: Partial<AuditEntry>): AuditEntry =>
  ({
    id: 1,
    at: '2026-03-02T09:00:00Z',
    actorName: 'Ada Admin',
    actorClient: '',
    action: 'role.created',
    targetType: 'role',
    targetId: 'r1',
    targetLabel: 'Support',
    before: '',
    after: '{"name":"Support"}',
    ...e,
  }) as AuditEntry;

describe('AuditPage', () => {
  beforeEach(() => {
    vi.mocked(Audit.FindAuditEntries).mockResolvedValue({
      entries: [
        entry({ id: 2, targetLabel: 'Remote', actorClient: "Ada's laptop" }),
        entry({ id: 1, targetLabel: 'Local' }),
      ],
      total: 2,
    } as never);
  });

  it('names the client an administrator acted through, under their name', async () => {
    renderScreen(<AuditPage />);
    const table = await screen.findByRole('table', { name: 'Audit log' });
    const remote = await within(table).findByRole('row', { name: /Remote/ });
    expect(within(remote).getByText("via Ada's laptop")).toBeInTheDocument();
    const local = within(table).getByRole('row', { name: /Local/ });
    expect(local).toHaveTextContent('Ada Admin');
    expect(local).not.toHaveTextContent('via');
  });

  it('shows only the entries about the user it was opened for, until that filter is cleared', async () => {
    window.location.hash = '#/admin/audit?subject=u-ben&label=Ben+Becker';
    renderScreen(<AuditPage />);
    const chip = await screen.findByTestId('audit-subject');
    expect(chip).toHaveTextContent('About Ben Becker');
    expect(chip).toHaveAttribute('href', '#/admin/audit');
    expect(vi.mocked(Audit.FindAuditEntries)).toHaveBeenCalledWith(
      expect.objectContaining({ subject: 'u-ben' }),
    );
    window.location.hash = '#/admin/audit';
    await waitFor(() => expect(screen.queryByTestId('audit-subject')).not.toBeInTheDocument());
    expect(vi.mocked(Audit.FindAuditEntries)).toHaveBeenLastCalledWith(
      expect.objectContaining({ subject: '' }),
    );
  });
});
