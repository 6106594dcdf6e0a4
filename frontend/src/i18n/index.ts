import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import deCatalogue from '../../../backend/msg/de.json';
import enCatalogue from '../../../backend/msg/en.json';
import type { AppError } from '../api/client';
import { conflictsDe, conflictsEn } from '../features/conflicts/i18n';
import { emailDe, emailEn } from '../features/email/i18n';
import { importsDe, importsEn } from '../features/imports/i18n';
import { syncDe, syncEn } from '../features/sync/i18n';
import { de } from './de';
import { en } from './en';

export type LanguageCode = 'en' | 'de';

/** resolveLanguage picks the window's language: the saved choice, else the system's, else the web view's. */
export function resolveLanguage(saved: string, system: string, navigatorLanguage: string): LanguageCode {
  for (const lang of [saved, system, navigatorLanguage.slice(0, 2).toLowerCase()]) {
    if (lang === 'en' || lang === 'de') return lang;
  }
  return 'en';
}

/**
 * withCatalogue adds the shared catalogue's texts to the window's own: the
 * error texts to errors.*, and the built-in roles' names (which imports
 * accept too) to roles.builtInNames.
 */
function withCatalogue<T extends { errors: object; roles: object }>(
  texts: T,
  catalogue: { errors: object; roles: object },
) {
  return {
    ...texts,
    errors: { ...texts.errors, ...catalogue.errors },
    roles: { ...texts.roles, builtInNames: catalogue.roles },
  };
}

export function initI18n(language: LanguageCode = 'en') {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      // Each feature with many texts has its own namespace. The texts of the
      // errors Go declares (backend/messages.go) come from the catalogue the
      // server's pages use too, backend/msg/<language>.json.
      resources: {
        en: {
          translation: withCatalogue(en, enCatalogue),
          email: emailEn,
          imports: importsEn,
          sync: syncEn,
          conflicts: conflictsEn,
        },
        de: {
          translation: withCatalogue(de, deCatalogue),
          email: emailDe,
          imports: importsDe,
          sync: syncDe,
          conflicts: conflictsDe,
        },
      },
      ns: ['translation', 'email', 'imports', 'sync', 'conflicts'],
      lng: language,
      fallbackLng: 'en',
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  } else if (i18n.language !== language) {
    void i18n.changeLanguage(language);
  }
  document.documentElement.lang = language;
  return i18n;
}

/** useErrorText translates a backend error by its key, falling back to its English sentence. */
export function useErrorText() {
  const { t } = useTranslation();
  return (err: unknown): string => {
    const e = err as Partial<AppError> | undefined;
    if (!e) return '';
    const fallback = e.message || t('errors.internal');
    if (!e.key) return fallback;
    return t(`errors.${e.key}`, { ...(e.args ?? {}), defaultValue: fallback });
  };
}

let systemLocale = '';

/** setSystemLocale records the operating system's locale (from Go: the web view may not know it). */
export function setSystemLocale(locale: string) {
  systemLocale = locale;
}

/**
 * formatLocale is the locale for dates and numbers: the system's (say en-GB)
 * or else the web view's, when it speaks the window's language; otherwise
 * the window's language.
 */
export function formatLocale(language: string, navigatorLanguage = navigator.language): string {
  for (const locale of [systemLocale, navigatorLanguage]) {
    if (locale?.toLowerCase().startsWith(language)) return locale;
  }
  return language;
}

export { i18n };
