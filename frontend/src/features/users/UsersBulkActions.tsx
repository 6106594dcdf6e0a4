import { Button, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { userIDsMatching } from '../../api/bulk';
import { useRoles } from '../../api/roles';
import type { DirectoryQuery } from '../../api/users';
import { BulkBar } from '../../components/BulkBar';
import { useBulkRun } from '../../components/BulkRun';
import { useFormat } from '../../components/format';
import { notifyError } from '../../components/notify';
import { useRoleName } from '../../components/roleName';
import { headerState, type SelectionState } from '../../components/useSelection';
import { useErrorText } from '../../i18n';

interface UsersBulkActionsProps {
  selection: SelectionState;
  query: DirectoryQuery;
  /** loadedMembers are the members loaded so far (what the header's checkbox selects). */
  loadedMembers: string[];
  /** more is set when the list has rows not loaded yet. */
  more: boolean;
}

/**
 * UsersBulkActions is the bar over the Users list while members are
 * selected: Change role…, Deactivate and Remove for all of them at once, each
 * after one confirmation, and "Select all that match" across the whole list.
 */
export function UsersBulkActions({ selection, query, loadedMembers, more }: UsersBulkActionsProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const roles = useRoles();
  const roleName = useRoleName();
  const [matching, setMatching] = useState(false);
  const run = useBulkRun((res) => selection.replace(res.failed.map((f) => f.id)));
  const ids = [...selection.selection.ids];
  const n = { count: ids.length, formatted: fmt.number(ids.length) };

  const selectMatching = () => {
    setMatching(true);
    userIDsMatching(query)
      .then((m) => selection.replace(m.ids, { capped: m.capped }))
      .catch((e) => notifyError(t('errors.title'), errorText(e)))
      .finally(() => setMatching(false));
  };

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
          selection={selection.selection}
          count={selection.count}
          matching={header.checked && more ? { total: 0, atLeast: true } : undefined}
          onSelectMatching={selectMatching}
          matchingLoading={matching}
          onClear={selection.clear}
        >
          <Button size="compact-sm" variant="default" onClick={() => askRole()}>
            {t('bulk.changeRole')}
          </Button>
          <Button
            size="compact-sm"
            variant="default"
            onClick={() =>
              run.ask({
                action: 'deactivate',
                ids,
                title: t('bulk.deactivateTitle', n),
                confirmLabel: t('bulk.deactivateConfirm', n),
                text: t('bulk.deactivateText'),
                success: (done) => t('bulk.deactivated', { count: done, formatted: fmt.number(done) }),
              })
            }
          >
            {t('bulk.deactivate')}
          </Button>
          <Button
            size="compact-sm"
            variant="light"
            color="red"
            onClick={() =>
              run.ask({
                action: 'remove',
                ids,
                title: t('bulk.removeTitle', n),
                confirmLabel: t('bulk.removeConfirm', n),
                destructive: true,
                text: t('bulk.removeText'),
                success: (done) => t('bulk.removed', { count: done, formatted: fmt.number(done) }),
              })
            }
          >
            {t('bulk.remove')}
          </Button>
        </BulkBar>
      )}
      {run.dialogs}
    </>
  );
}
