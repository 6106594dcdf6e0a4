import { Button, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { userIDsMatching } from '../../api/bulk';
import { useRoles } from '../../api/roles';
import type { DirectoryQuery } from '../../api/users';
import { BulkActionButtons, type BulkActionSpec, BulkBar } from '../../components/BulkBar';
import { useBulkRun } from '../../components/BulkRun';
import { useFormat } from '../../components/format';
import { useRoleName } from '../../components/roleName';
import { headerState, type SelectionState } from '../../components/useSelection';

interface UsersBulkActionsProps {
  selection: SelectionState;
  query: DirectoryQuery;
  /** loadedMembers are the members loaded so far (what the header's checkbox selects). */
  loadedMembers: string[];
  /** more is set when the list has rows not loaded yet. */
  more: boolean;
}

/** userActions are the bulk actions on members besides Change role. */
const userActions: BulkActionSpec[] = [
  {
    action: 'deactivate',
    label: 'bulk.deactivate',
    title: 'bulk.deactivateTitle',
    confirm: 'bulk.deactivateConfirm',
    text: 'bulk.deactivateText',
    success: 'bulk.deactivated',
  },
  {
    action: 'remove',
    label: 'bulk.remove',
    title: 'bulk.removeTitle',
    confirm: 'bulk.removeConfirm',
    text: 'bulk.removeText',
    success: 'bulk.removed',
    destructive: true,
  },
];

/**
 * UsersBulkActions is the bar over the Users list while members are
 * selected: Change role…, Deactivate and Remove for all of them at once, each
 * after one confirmation, and "Select all that match" across the whole list.
 */
export function UsersBulkActions({ selection, query, loadedMembers, more }: UsersBulkActionsProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const roles = useRoles();
  const roleName = useRoleName();
  const run = useBulkRun((res) => selection.replace(res.failed.map((f) => f.id)));
  const ids = [...selection.selection.ids];
  const n = { count: ids.length, formatted: fmt.number(ids.length) };

  const roleOptions = (roles.data ?? []).map((r) => ({ value: r.id, label: roleName(r.id, r.name) }));
  const askRole = (roleId?: string) =>
    run.ask({
      action: 'changeRole',
      ids,
      roleId,
      title: t('bulk.changeRoleTitle', n),
      confirmLabel: t('bulk.changeRoleConfirm'),
      text: (
        <Stack gap="sm">
          <Text size="sm">{t('bulk.changeRoleText')}</Text>
          <Select
            label={t('bulk.newRole')}
            data={roleOptions}
            value={roleId ?? null}
            onChange={(v) => askRole(v ?? undefined)}
            comboboxProps={{ zIndex: 400 }}
            allowDeselect={false}
          />
        </Stack>
      ),
      success: (done) => {
        const role = roles.data?.find((r) => r.id === roleId);
        return t('bulk.roleChanged', {
          count: done,
          formatted: fmt.number(done),
          role: role ? roleName(role.id, role.name) : '',
        });
      },
    });

  if (selection.count === 0 && !run.request) return run.dialogs;
  const header = headerState(selection.selection, loadedMembers);
  return (
    <>
      {selection.count > 0 && (
        <BulkBar
          label={t('bulk.usersRegion')}
          selection={selection}
          matching={header.checked && more ? { total: 0, atLeast: true } : undefined}
          loadMatching={() => userIDsMatching(query)}
        >
          <Button size="compact-sm" variant="default" onClick={() => askRole()}>
            {t('bulk.changeRole')}
          </Button>
          <BulkActionButtons actions={userActions} ids={ids} ask={run.ask} />
        </BulkBar>
      )}
      {run.dialogs}
    </>
  );
}
