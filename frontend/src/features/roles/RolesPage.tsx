import { Alert, Button, Group, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Role, useDeleteRole, useRoles } from '../../api/roles';
import { OutlineBadge, RoleBadge } from '../../components/badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import classes from '../../components/DataTable.module.css';
import { useFormat } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { PageHeader } from '../../components/PageHeader';
import { PlainHeader } from '../../components/SortableHeader';
import { useErrorText } from '../../i18n';
import { RoleDialog } from './RoleDialog';
import { useRoleSummary } from './roleSummary';

/**
 * RolesPage lists the built-in roles (User, Administrator) and the custom
 * ones with their permissions and how many have them; custom roles can be
 * created, edited and deleted while nobody has them.
 */
export function RolesPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const roles = useRoles();
  const del = useDeleteRole();
  const [editing, setEditing] = useState<{ role?: Role } | null>(null);
  const [toDelete, setToDelete] = useState<Role | null>(null);

  const confirmDelete = () => {
    if (!toDelete) return;
    del.mutate(toDelete.id, {
      onSuccess: () => {
        notifySuccess(t('roles.deleted', { name: toDelete.name }));
        setToDelete(null);
      },
      onError: (e) => {
        setToDelete(null);
        notifyError(t('errors.title'), errorText(e));
      },
    });
  };

  return (
    <Stack p="xl" gap="md" h="100dvh">
      <PageHeader
        title={t('roles.title')}
        description={t('roles.description')}
        actions={
          <Button
            leftSection={<IconPlus size={18} stroke={1.7} aria-hidden />}
            onClick={() => setEditing({})}
          >
            {t('roles.newRole')}
          </Button>
        }
      />
      {roles.isError && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('roles.loadFailed')}>
          {errorText(roles.error)}
        </Alert>
      )}
      <div className={`${classes.frame} ${classes.shrink}`}>
        <table className={classes.table} aria-label={t('roles.tableLabel')}>
          <colgroup>
            <col style={{ width: '20%' }} />
            <col style={{ width: '33%' }} />
            <col style={{ width: '10%' }} />
            <col style={{ width: '13%' }} />
            <col style={{ width: '24%' }} />
          </colgroup>
          <thead>
            <tr>
              <PlainHeader label={t('roles.columns.name')} />
              <PlainHeader label={t('roles.columns.permissions')} />
              <PlainHeader label={t('roles.columns.members')} />
              <PlainHeader label={t('roles.columns.invitations')} />
              <PlainHeader label={t('common.actions')} />
            </tr>
          </thead>
          <tbody>
            {roles.isPending
              ? [0, 1, 2].map((i) => (
                  <tr key={i}>
                    {[0, 1, 2, 3, 4].map((j) => (
                      <td key={j} className={classes.td}>
                        <span className={classes.skeleton} style={{ width: j === 1 ? '80%' : '50%' }} />
                      </td>
                    ))}
                  </tr>
                ))
              : roles.data?.map((r) => (
                  <RoleRow
                    key={r.id}
                    role={r}
                    onEdit={() => setEditing({ role: r })}
                    onDelete={() => setToDelete(r)}
                  />
                ))}
          </tbody>
        </table>
      </div>
      <RoleDialog opened={editing !== null} role={editing?.role} onClose={() => setEditing(null)} />
      <ConfirmDialog
        opened={toDelete !== null}
        title={t('roles.deleteTitle', { name: toDelete?.name ?? '' })}
        confirmLabel={t('roles.deleteConfirm')}
        destructive
        loading={del.isPending}
        onConfirm={confirmDelete}
        onCancel={() => setToDelete(null)}
      >
        {t('roles.deleteText')}
      </ConfirmDialog>
    </Stack>
  );
}

function RoleRow({ role, onEdit, onDelete }: { role: Role; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const summary = useRoleSummary();
  const inUseId = useId();
  const inUse = role.userCount > 0 || role.invitationCount > 0;
  const inUseText = t('roles.inUse', {
    users: fmt.number(role.userCount),
    invitations: fmt.number(role.invitationCount),
  });
  return (
    <tr data-role={role.id}>
      <td className={`${classes.td} ${classes.wrap}`}>
        <Group gap={6} wrap="wrap">
          <RoleBadge roleId={role.id} name={role.name} />
          {role.builtIn && (
            <OutlineBadge icon={<IconLock size={11} aria-hidden />}>{t('roles.builtIn')}</OutlineBadge>
          )}
        </Group>
      </td>
      <td className={`${classes.td} ${classes.wrap}`}>
        <Text size="sm">{summary(role)}</Text>
      </td>
      <td className={classes.td}>{fmt.number(role.userCount)}</td>
      <td className={classes.td}>{fmt.number(role.invitationCount)}</td>
      <td className={`${classes.td} ${classes.wrap}`}>
        {role.builtIn ? (
          <Group gap={6} wrap="nowrap" c="dimmed">
            <IconLock size={14} aria-hidden />
            <Text size="xs" c="dimmed">
              {t('roles.builtInHint')}
            </Text>
          </Group>
        ) : (
          <Group gap={4} wrap="wrap">
            <Button
              size="compact-sm"
              variant="subtle"
              leftSection={<IconPencil size={14} stroke={1.7} aria-hidden />}
              onClick={onEdit}
            >
              {t('roles.edit')}
            </Button>
            {inUse ? (
              <Tooltip label={inUseText} multiline w={260} withArrow>
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  leftSection={<IconTrash size={14} stroke={1.7} aria-hidden />}
                  data-disabled
                  aria-disabled="true"
                  aria-describedby={inUseId}
                  onClick={(e) => e.preventDefault()}
                >
                  {t('roles.delete')}
                </Button>
              </Tooltip>
            ) : (
              <Button
                size="compact-sm"
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={14} stroke={1.7} aria-hidden />}
                onClick={onDelete}
              >
                {t('roles.delete')}
              </Button>
            )}
            {inUse && <VisuallyHidden id={inUseId}>{inUseText}</VisuallyHidden>}
          </Group>
        )}
      </td>
    </tr>
  );
}
