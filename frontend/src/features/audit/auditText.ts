import { useTranslation } from 'react-i18next';
import type { Formatters } from '../../components/format';

/** actionKey is the i18n key of an audit action code such as user.role_changed. */
export function actionKey(action: string): string {
  return `audit.actions.${action.replace(/\./g, '_')}`;
}

/** useActionText names an audit action in words; an unknown code is shown as it is. */
export function useActionText() {
  const { t } = useTranslation();
  return (action: string) => t(actionKey(action), { defaultValue: action });
}

/** Change is one field of an audit entry's target, before and after. */
export interface Change {
  field: string;
  before: string;
  after: string;
  changed: boolean;
}

function parseState(json: string): Record<string, unknown> {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { value: json };
  }
}

/**
 * changesOf lists the fields of an entry's before and after states, in the
 * order they first appear; show renders one value as text.
 */
export function changesOf(
  before: string,
  after: string,
  show: (field: string, v: unknown) => string,
): Change[] {
  const b = parseState(before);
  const a = parseState(after);
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return fields.map((field) => {
    const bv = field in b ? show(field, b[field]) : '';
    const av = field in a ? show(field, a[field]) : '';
    return { field, before: bv, after: av, changed: bv !== av };
  });
}

/** useValueText renders a value of an audit state: statuses and permissions in words, times as dates. */
export function useValueText(fmt: Formatters) {
  const { t } = useTranslation();
  return (field: string, v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) {
      return v
        .map((x) =>
          field === 'permissions' ? t(`permissions.${x}`, { defaultValue: String(x) }) : String(x),
        )
        .join(', ');
    }
    if (field === 'status' && typeof v === 'string') return t(`status.${v}`, { defaultValue: v });
    if (typeof v === 'string' && /At$/.test(field)) return fmt.dateTime(v);
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };
}
