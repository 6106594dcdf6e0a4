import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatLocale } from '../i18n';

/** Formatters turn backend values into text in the window's locale. */
export interface Formatters {
  /** date is a day, like 2 March 2026 (or "" for no time). */
  date: (iso: string) => string;
  /** dateTime is a day and a time of day, like 2 Mar 2026, 09:30. */
  dateTime: (iso: string) => string;
  number: (n: number) => string;
}

/** useFormat returns formatters for the window's language, made once per language. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useMemo(() => {
    const locale = formatLocale(language);
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const dayTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const num = new Intl.NumberFormat(locale);
    const safe = (f: Intl.DateTimeFormat) => (iso: string) => {
      if (!iso) return '';
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : f.format(d);
    };
    return { date: safe(day), dateTime: safe(dayTime), number: (n: number) => num.format(n) };
  }, [language]);
}
