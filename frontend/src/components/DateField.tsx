import { TextInput, type TextInputProps } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatLocale } from '../i18n';

type Part = 'day' | 'month' | 'year';

/** DatePattern is how a locale writes a date in digits: the order of its parts and what separates them. */
export interface DatePattern {
  order: Part[];
  separator: string;
}

/** datePattern reads a locale's numeric date pattern (en-GB: day/month/year, de: day.month.year, en-US: month/day/year). */
export function datePattern(locale: string): DatePattern {
  const parts = new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).formatToParts(new Date(2026, 10, 28));
  const order = parts
    .map((p) => p.type)
    .filter((t): t is Part => t === 'day' || t === 'month' || t === 'year');
  const separator = parts.find((p) => p.type === 'literal')?.value ?? '/';
  return { order: order.length === 3 ? order : ['day', 'month', 'year'], separator };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** formatDay writes an ISO day (yyyy-mm-dd) in the pattern; "" stays "". */
export function formatDay(iso: string, p: DatePattern): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return '';
  const value: Record<Part, string> = { year: m[1] ?? '', month: m[2] ?? '', day: m[3] ?? '' };
  return p.order.map((part) => value[part]).join(p.separator);
}

/**
 * parseDay reads a date typed in the pattern's order, with any separator
 * (28/11/2026, 28.11.2026, 28-11-26), into an ISO day; null when it is not a
 * real date. Two-digit years are this century.
 */
export function parseDay(text: string, p: DatePattern): string | null {
  const tokens = text.trim().split(/\D+/).filter(Boolean);
  if (tokens.length !== 3) return null;
  const value = {} as Record<Part, number>;
  for (const [i, part] of p.order.entries()) {
    const token = tokens[i] ?? '';
    // A year has two or four digits: "2.3.202" is a year still being typed.
    if (part === 'year' && token.length !== 2 && token.length !== 4) return null;
    value[part] = Number(token);
  }
  if (value.year < 100) value.year += 2000;
  const d = new Date(value.year, value.month - 1, value.day);
  if (d.getFullYear() !== value.year || d.getMonth() !== value.month - 1 || d.getDate() !== value.day)
    return null;
  return `${pad(value.year, 4)}-${pad(value.month)}-${pad(value.day)}`;
}

interface DateFieldProps extends Omit<TextInputProps, 'value' | 'onChange' | 'placeholder' | 'error'> {
  /** value is the chosen day as yyyy-mm-dd, or "". */
  value: string;
  onChange: (iso: string) => void;
}

/**
 * DateField is a day typed as the window's locale writes it (28/11/2026 in
 * English, 28.11.2026 in German), the same way the dates it filters are
 * shown; the browser's own date input follows the browser's locale instead.
 */
export function DateField({ value, onChange, ...rest }: DateFieldProps) {
  const { t, i18n } = useTranslation();
  const pattern = useMemo(() => datePattern(formatLocale(i18n.language)), [i18n.language]);
  const [text, setText] = useState(() => formatDay(value, pattern));
  const [invalid, setInvalid] = useState(false);
  // A value set from outside (cleared filters, another language) replaces the text.
  useEffect(() => {
    setText((old) => (parseDay(old, pattern) === value ? old : formatDay(value, pattern)));
    setInvalid(false);
  }, [value, pattern]);
  const letters: Record<Part, string> = {
    day: t('common.dateDay'),
    month: t('common.dateMonth'),
    year: t('common.dateYear'),
  };
  const placeholder = pattern.order.map((p) => letters[p]).join(pattern.separator);
  return (
    <TextInput
      {...rest}
      inputMode="numeric"
      autoComplete="off"
      placeholder={placeholder}
      value={text}
      error={invalid ? t('common.dateInvalid', { example: formatDay('2026-11-28', pattern) }) : undefined}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        if (!next.trim()) {
          setInvalid(false);
          onChange('');
          return;
        }
        const iso = parseDay(next, pattern);
        if (iso) {
          setInvalid(false);
          onChange(iso);
        }
      }}
      onBlur={() => setInvalid(text.trim() !== '' && parseDay(text, pattern) === null)}
    />
  );
}
