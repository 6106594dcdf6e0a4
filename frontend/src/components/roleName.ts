import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_ADMINISTRATOR, ROLE_USER } from '../api/roles';

/**
 * roleDisplayName is the name a role is shown by: the built-in roles in the
 * window's language (German "Benutzer"), custom roles as their administrators
 * named them. Files and the backend keep the stored (English) names.
 */
export function roleDisplayName(t: TFunction, roleId: string, name: string): string {
  if (roleId === ROLE_USER || roleId === ROLE_ADMINISTRATOR) {
    return t(`roles.builtInNames.${roleId}`, { defaultValue: name });
  }
  return name;
}

/** useRoleName returns roleDisplayName bound to the window's language. */
export function useRoleName(): (roleId: string, name: string) => string {
  const { t } = useTranslation();
  return useCallback((roleId: string, name: string) => roleDisplayName(t, roleId, name), [t]);
}
