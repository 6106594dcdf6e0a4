import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as Imports from '../../../wailsjs/go/app/Imports';
import { renderWithProviders } from '../../test/render';
import { InviteMultipleDialog } from './InviteMultipleDialog';

vi.mock('../../../wailsjs/go/app/Imports', () => ({
  DownloadTemplate: vi.fn(),
  OpenImportFile: vi.fn(),
  PreviewImportFile: vi.fn(),
  PreviewImportData: vi.fn(),
  CancelImportPreview: vi.fn(),
  FindImports: vi.fn(),
  FindImportRows: vi.fn(),
  UpdateImportRow: vi.fn(),
  SaveRejectedRows: vi.fn(),
  SendImport: vi.fn(),
  DiscardImport: vi.fn(),
}));
vi.mock('../../../wailsjs/go/app/Email', () => ({
  GetEmailSettings: vi.fn().mockResolvedValue({ configured: true }),
  GetMailQueue: vi.fn().mockResolvedValue({ queued: 1, sending: 0, sent: 0, failed: 0, nextAttemptAt: '' }),
}));
vi.mock('../../../wailsjs/runtime/runtime', () => ({
  EventsOn: vi.fn(() => () => {}),
  OnFileDrop: vi.fn(),
  OnFileDropOff: vi.fn(),
}));

const summary = (over: Record<string, number> = {}) => ({
  rows: 3,
  valid: 1,
  invalid: 2,
  sent: 0,
  blankRows: 0,
  missingEmail: 0,
  invalidEmail: 1,
  duplicate: 0,
  member: 0,
  invited: 0,
  missingRole: 0,
  unknownRole: 1,
  extraColumns: 0,
  tooLong: 0,
  malformed: 0,
  lookalike: 0,
  ...over,
});

const preview = {
  id: 'imp1',
  file: { name: 'team.csv', kind: 'csv', encoding: 'utf-8', separator: ';', sheet: '' },
  roles: ['User', 'Administrator'],
  summary: summary(),
  createdAt: '2026-11-26T10:00:00.000Z',
  sentAt: '',
};

const badEmail = {
  row: 2,
  email: 'grace.example.org',
  role: 'User',
  valid: false,
  sent: false,
  issues: [
    {
      code: 'invalid',
      field: 'email',
      key: 'email.no_at',
      message: 'An email address needs an @ followed by a domain, like jane@example.com.',
    },
  ],
};
const badRole = {
  row: 4,
  email: 'linus@example.org',
  role: 'Owner',
  valid: false,
  sent: false,
  issues: [
    {
      code: 'invalid',
      field: 'role',
      key: 'import.row.role_unknown',
      message: '“Owner” is not a role. Use one of: User, Administrator.',
      args: { role: 'Owner', roles: 'User, Administrator' },
    },
  ],
};

describe('InviteMultipleDialog', () => {
  beforeEach(() => {
    vi.mocked(Imports.FindImports)
      .mockReset()
      .mockResolvedValue([preview] as never);
    vi.mocked(Imports.FindImportRows)
      .mockReset()
      .mockResolvedValue({ rows: [badEmail, badRole], total: 2 } as never);
    vi.mocked(Imports.UpdateImportRow).mockReset();
    vi.mocked(Imports.SendImport).mockReset();
    vi.mocked(Imports.DiscardImport)
      .mockReset()
      .mockResolvedValue(undefined as never);
  });

  it('picks up an open preview and marks every bad row with its reason', async () => {
    renderWithProviders(<InviteMultipleDialog opened onClose={() => {}} />);
    expect(await screen.findByText('team.csv')).toBeInTheDocument();
    expect(screen.getByText('CSV, utf-8, separated by semicolons')).toBeInTheDocument();
    expect(screen.getByText('1 ready to send')).toBeInTheDocument();
    expect(screen.getByText('2 need attention')).toBeInTheDocument();
    expect(screen.getByText('Invalid format: 1')).toBeInTheDocument();
    expect(screen.getByText('Unknown role: 1')).toBeInTheDocument();
    expect(
      await screen.findByText('An email address needs an @ followed by a domain, like jane@example.com.'),
    ).toBeInTheDocument();
    expect(screen.getByText('“Owner” is not a role. Use one of: User, Administrator.')).toBeInTheDocument();
    // Only the rows that need attention are shown first.
    expect(Imports.FindImportRows).toHaveBeenCalledWith('imp1', {
      offset: 0,
      limit: 100,
      needsAttention: true,
    });
  });

  it('counts only the rows not sent yet as ready after a partial send', async () => {
    // Go's summary counts sent rows apart: valid excludes them.
    vi.mocked(Imports.FindImports).mockResolvedValue([
      {
        ...preview,
        summary: summary({ rows: 4, valid: 2, invalid: 0, sent: 2, invalidEmail: 0, unknownRole: 0 }),
        sentAt: '2026-11-26T10:05:00.000Z',
      },
    ] as never);
    renderWithProviders(<InviteMultipleDialog opened onClose={() => {}} />);
    expect(await screen.findByText('2 ready to send')).toBeInTheDocument();
    expect(screen.getByText('2 sent')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send 2 invitations' })).toBeInTheDocument();
  });

  it('opens on the rows that need attention when only look-alikes need it', async () => {
    vi.mocked(Imports.FindImports).mockResolvedValue([
      {
        ...preview,
        summary: summary({ valid: 3, invalid: 0, invalidEmail: 0, unknownRole: 0, lookalike: 1 }),
      },
    ] as never);
    renderWithProviders(<InviteMultipleDialog opened onClose={() => {}} />);
    expect(await screen.findByText('3 ready to send')).toBeInTheDocument();
    await waitFor(() =>
      expect(Imports.FindImportRows).toHaveBeenCalledWith('imp1', {
        offset: 0,
        limit: 100,
        needsAttention: true,
      }),
    );
  });

  it('checks a corrected row again at once and updates the counts', async () => {
    vi.mocked(Imports.UpdateImportRow).mockResolvedValue({
      rows: [{ ...badEmail, email: 'grace@example.org', valid: true, issues: [] }],
      summary: summary({ valid: 2, invalid: 1, invalidEmail: 0 }),
    } as never);
    const user = userEvent.setup();
    renderWithProviders(<InviteMultipleDialog opened onClose={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'Correct row 2' }));
    const email = screen.getByRole('textbox', { name: 'Email address of row 2' });
    await user.clear(email);
    await user.type(email, 'grace@example.org{Enter}');
    await waitFor(() =>
      expect(Imports.UpdateImportRow).toHaveBeenCalledWith('imp1', {
        row: 2,
        email: 'grace@example.org',
        role: 'User',
      }),
    );
    expect(await screen.findByText('2 ready to send')).toBeInTheDocument();
    expect(screen.getByText('1 needs attention')).toBeInTheDocument();
    expect(screen.queryByText('Invalid format: 1')).not.toBeInTheDocument();
  });

  it('keeps a correction the backend still refuses open, with its reason', async () => {
    vi.mocked(Imports.UpdateImportRow).mockRejectedValue({
      code: 'conflict',
      key: 'import.row_sent',
      message: 'Row 2 was sent already and can no longer be changed.',
      args: { row: 2 },
    });
    const user = userEvent.setup();
    renderWithProviders(<InviteMultipleDialog opened onClose={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'Correct row 2' }));
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(
      await screen.findByText('Row 2 was sent already and can no longer be changed.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Email address of row 2' })).toBeInTheDocument();
  });

  it('sends the valid rows and says what was skipped and why', async () => {
    vi.mocked(Imports.SendImport).mockResolvedValue({
      sent: 1,
      skipped: 2,
      summary: summary({ valid: 0, sent: 1 }),
    } as never);
    const user = userEvent.setup();
    renderWithProviders(<InviteMultipleDialog opened onClose={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'Send 1 invitation' }));
    const result = await screen.findByText('Invitations sent');
    expect(
      within(result.closest('[role="alert"]') ?? document.body).getByText(
        '1 invitation was stored and its email queued.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('2 rows were not sent:')).toBeInTheDocument();
    expect(screen.getByText('Unknown role: 1')).toBeInTheDocument();
    expect(await screen.findByText('0 sent, 1 waiting')).toBeInTheDocument();
    expect(Imports.SendImport).toHaveBeenCalledWith('imp1');
  });

  it('cancels reading a file and goes back to the drop area without an error', async () => {
    vi.mocked(Imports.FindImports).mockResolvedValue([] as never);
    let fail: (e: unknown) => void = () => {};
    vi.mocked(Imports.PreviewImportData).mockReturnValue(
      new Promise((_, reject) => {
        fail = reject;
      }) as never,
    );
    vi.mocked(Imports.CancelImportPreview).mockImplementation(async () => {
      fail({ code: 'canceled', key: 'import.canceled', message: 'Reading the file was cancelled.' });
    });
    const user = userEvent.setup();
    renderWithProviders(<InviteMultipleDialog opened onClose={() => {}} />);
    await screen.findByText('Drop the completed file here');
    const input = document.querySelector<HTMLInputElement>('input[type="file"]');
    if (!input) throw new Error('no file input');
    await user.upload(input, new File(['email,role\n'], 'team.csv', { type: 'text/csv' }));
    expect(await screen.findByText('Reading team.csv…')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(Imports.CancelImportPreview).toHaveBeenCalled();
    expect(await screen.findByText('Drop the completed file here')).toBeInTheDocument();
    expect(screen.queryByText('Reading team.csv…')).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows a look-alike address with its punycode form and a warning, still ready to send', async () => {
    vi.mocked(Imports.FindImports).mockResolvedValue([
      {
        ...preview,
        summary: summary({ valid: 2, invalid: 1, invalidEmail: 1, unknownRole: 0, lookalike: 1 }),
      },
    ] as never);
    const lookalike = {
      row: 3,
      email: 'ada@ex\u0430mple.com',
      role: 'User',
      valid: true,
      sent: false,
      issues: [],
      punycode: 'ada@xn--exmple-4nf.com',
    };
    const plain = { ...lookalike, row: 5, email: 'kim@bücher.de', punycode: '' };
    vi.mocked(Imports.FindImportRows).mockResolvedValue({
      rows: [badEmail, lookalike, plain],
      total: 3,
    } as never);
    renderWithProviders(<InviteMultipleDialog opened onClose={() => {}} />);
    expect(await screen.findByText('1 look-alike address')).toBeInTheDocument();
    const row = (await screen.findByText('ada@xn--exmple-4nf.com')).closest('tr');
    if (!row) throw new Error('no row of the look-alike');
    expect(within(row).getByText('ada@ex\u0430mple.com')).toBeInTheDocument();
    expect(within(row).getByText('Ready')).toBeInTheDocument();
    expect(
      within(row).getByText(
        'Look-alike address: its domain mixes alphabets, so it can look exactly like another address. Check its real form; the invitation goes to that address.',
      ),
    ).toBeInTheDocument();
    const other = screen.getByText('kim@bücher.de').closest('tr');
    if (!other) throw new Error('no row of the plain address');
    expect(within(other).queryByText(/Look-alike address/)).not.toBeInTheDocument();
    expect(within(other).queryByText('Real form:')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send 2 invitations' })).toBeEnabled();
  });

  it('offers the templates and the upload when no file is open', async () => {
    vi.mocked(Imports.FindImports).mockResolvedValue([] as never);
    renderWithProviders(<InviteMultipleDialog opened onClose={() => {}} />);
    expect(await screen.findByRole('button', { name: 'Download the CSV template' })).toBeInTheDocument();
    expect(screen.getByText('Drop the completed file here')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Choose a file' })).toBeInTheDocument();
  });
});
