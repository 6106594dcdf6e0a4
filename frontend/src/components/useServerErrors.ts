import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { toAppError } from '../api/client';
import { useErrorText } from '../i18n';
import { notifyError } from './notify';

/**
 * useServerErrors returns a handler for a rejected call made from a form: an
 * error about one of the form's fields appears under that field; any other
 * error appears as a notification.
 */
export function useServerErrors<T extends Record<string, unknown>>(
  form: UseFormReturnType<T>,
  fieldMap: Record<string, keyof T & string> = {},
) {
  const errorText = useErrorText();
  const { t } = useTranslation();
  return (err: unknown) => {
    const e = toAppError(err);
    const field = e.field ? (fieldMap[e.field] ?? e.field) : undefined;
    if (field && field in form.getValues()) {
      form.setFieldError(field, errorText(e));
      return;
    }
    notifyError(t('errors.title'), errorText(e));
  };
}
