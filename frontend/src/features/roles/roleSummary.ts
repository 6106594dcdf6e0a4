import { useTranslation } from 'react-i18next';
import { type Permission, permissions, ROLE_ADMINISTRATOR, ROLE_USER } from '../../api/roles';

/** useRoleSummary says in one sentence what a role allows, in the guide's words for the built-in roles. */
export function useRoleSummary() {
  const { t } = useTranslation();
  return (role: { id: string; permissions: Permission[] } | undefined): string => {
    if (!role) return '';
    if (role.id === ROLE_USER) return t('roles.summary.user');
    if (role.id === ROLE_ADMINISTRATOR) return t('roles.summary.administrator');
    const list = permissions.filter((p) => role.permissions.includes(p)).map((p) => t(`permissions.${p}`));
    return t('roles.summary.custom', { list: list.join(', ') });
  };
}
