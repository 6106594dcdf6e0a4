import { describe, expect, it } from 'vitest';
import deCatalogue from '../../../backend/msg/de.json';
import enCatalogue from '../../../backend/msg/en.json';
import { conflictsDe, conflictsEn } from '../features/conflicts/i18n';
import { emailDe, emailEn } from '../features/email/i18n';
import { importsDe, importsEn } from '../features/imports/i18n';
import { syncDe, syncEn } from '../features/sync/i18n';
import { de } from './de';
import { en } from './en';
import { formatLocale, resolveLanguage, setSystemLocale } from './index';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`),
  );
}

function placeholders(o: object, prefix = ''): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'string'
        ? [[prefix + k, (v.match(/{{\s*\w+\s*}}/g) ?? []).sort()]]
        : Object.entries(placeholders(v, `${prefix}${k}.`)),
    ),
  );
}

describe.each([
  ['translation', en, de],
  ['email', emailEn, emailDe],
  ['imports', importsEn, importsDe],
  ['sync', syncEn, syncDe],
  ['conflicts', conflictsEn, conflictsDe],
  ['catalogue (backend/msg)', enCatalogue, deCatalogue],
])('translations of the %s namespace', (_, english, german) => {
  it('German has exactly the English keys', () => {
    expect(keys(german).sort()).toEqual(keys(english).sort());
  });

  it('German keeps every placeholder of the English text', () => {
    expect(placeholders(german)).toEqual(placeholders(english));
  });
});

describe('resolveLanguage', () => {
  it.each([
    ['de', 'en', 'en-US', 'de'],
    ['', 'de', 'en-US', 'de'],
    ['', '', 'de-AT', 'de'],
    ['', '', 'fr-FR', 'en'],
    ['en', 'de', 'de-DE', 'en'],
  ])('saved %j, system %j, web view %j gives %j', (saved, system, nav, want) => {
    expect(resolveLanguage(saved, system, nav)).toBe(want);
  });
});

describe('formatLocale', () => {
  it('prefers the system locale when it speaks the window language', () => {
    setSystemLocale('en-GB');
    expect(formatLocale('en', 'en-US')).toBe('en-GB');
    expect(formatLocale('de', 'en-US')).toBe('de');
    expect(formatLocale('de', 'de-AT')).toBe('de-AT');
    setSystemLocale('');
    expect(formatLocale('en', 'en-US')).toBe('en-US');
  });
});
