import { describe, expect, it } from 'vitest';
import { i18n, initI18n } from '../../i18n';

initI18n();

import { pastedIssueText } from './PastedAddressesReview';

const rows = [
  { row: 2, email: 'ada@example.com' },
  { row: 3, email: 'grace@example.com' },
  { row: 4, email: 'ADA@example.com' },
];
const errorText = (e: unknown) => `file text of ${(e as { key: string }).key}`;

describe('pastedIssueText', () => {
  it('names the pasted address a duplicate repeats, not a row of a file', async () => {
    await i18n.changeLanguage('en');
    const t = i18n.t.bind(i18n) as (key: string, args?: Record<string, string>) => string;
    const text = pastedIssueText({ key: 'import.row.duplicate', args: { row: 2 } }, rows, t, errorText);
    expect(text).toBe('Already in this list as address 1 (ada@example.com).');
    expect(text).not.toMatch(/row|file/i);
    await i18n.changeLanguage('de');
    expect(pastedIssueText({ key: 'import.row.duplicate', args: { row: 3 } }, rows, t, errorText)).toBe(
      'Steht bereits als Adresse 2 in dieser Liste (grace@example.com).',
    );
    await i18n.changeLanguage('en');
  });

  it('leaves other issues to the shared texts', () => {
    const t = i18n.t.bind(i18n) as (key: string, args?: Record<string, string>) => string;
    expect(pastedIssueText({ key: 'import.row.email_invalid' }, rows, t, errorText)).toBe(
      'file text of import.row.email_invalid',
    );
  });
});
