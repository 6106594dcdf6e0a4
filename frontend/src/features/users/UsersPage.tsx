import { Button, EmptyState, Group, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconUsersPlus } from '@tabler/icons-react';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRoles } from '../../api/roles';
import {
  type DirectoryEntry,
  type DirectoryQuery,
  type DirectorySort,
  type EntryStatus,
  useExportUsers,
} from '../../api/users';
import { ExportMenu } from '../../components/ExportMenu';
import { useFormat } from '../../components/format';
import { MailSetupBanner } from '../../components/MailSetupBanner';
import { useMailReadiness } from '../../components/mailReady';
import { PageHeader } from '../../components/PageHeader';
import { useRoleName } from '../../components/roleName';
import { SearchInput } from '../../components/SearchInput';
import { useSelection } from '../../components/useSelection';
import { EntryDetails, type Selected } from './EntryDetails';
import { useInviteDialogs } from './InviteDialogs';
import { InviteUserMenu } from './InviteUserMenu';
import { UsersBulkActions } from './UsersBulkActions';
import { UsersTable } from './UsersTable';

const statuses: EntryStatus[] = ['active', 'inactive', 'pending', 'expired'];

/**
 * UsersPage is the guide's Users section: every member and every pending
 * invitation in one list, with search, filters, sorting, export, the Invite
 * user menu, the details of a row, and actions on many selected members.
 */
export function UsersPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const roles = useRoles();
  const roleName = useRoleName();
  const noMail = useMailReadiness() === 'notSetUp';
  const exporter = useExportUsers();
  const invite = useInviteDialogs();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const [roleId, setRoleId] = useState('');
  const [status, setStatus] = useState<'' | EntryStatus>('');
  const [sort, setSort] = useState<{ sort: DirectorySort; desc: boolean }>({ sort: 'name', desc: false });
  const [selected, setSelected] = useState<Selected | null>(null);
  const [rows, setRows] = useState({ total: 0, atLeast: false, loading: true });

  const query: DirectoryQuery = { search: debouncedSearch, roleId, status, ...sort };
  const filtered = !!(debouncedSearch || roleId || status);
  // A new search or filter shows other rows: the selection starts again.
  const selection = useSelection(JSON.stringify([debouncedSearch, roleId, status]));
  const [loadedMembers, setLoadedMembers] = useState<string[]>([]);

  const onOpen = useCallback((e: DirectoryEntry) => setSelected({ kind: e.kind, id: e.id }), []);
  const onSort = useCallback((s: DirectorySort, desc: boolean) => setSort({ sort: s, desc }), []);
  const clearFilters = () => {
    setSearch('');
    setRoleId('');
    setStatus('');
  };

  const count = rows.atLeast
    ? t('users.countAtLeast', { count: rows.total, formatted: fmt.number(rows.total) })
    : t('users.count', { count: rows.total, formatted: fmt.number(rows.total) });

  let footer = null;
  if (!rows.loading && !filtered && rows.total <= 1) {
    footer = (
      <EmptyState
        my="xl"
        variant="light"
        icon={<IconUsersPlus size={28} stroke={1.6} aria-hidden />}
        title={t('users.emptyTitle')}
        description={noMail ? t('users.emptyTextNoMail') : t('users.emptyText')}
      >
        <EmptyState.Actions>
          <Button variant="light" onClick={invite.openOne}>
            {t('users.emptyAction')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  } else if (!rows.loading && filtered && rows.total === 0) {
    footer = (
      <EmptyState
        my="xl"
        icon={<IconFilterOff size={28} stroke={1.6} aria-hidden />}
        title={t('users.noMatchTitle')}
        description={t('users.noMatchText')}
      >
        <EmptyState.Actions>
          <Button variant="default" onClick={clearFilters}>
            {t('common.clearFilters')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  }

  return (
    <Stack p="xl" gap="md" h="100dvh">
      <PageHeader
        title={t('users.title')}
        description={t('users.description')}
        actions={
          <>
            <ExportMenu
              run={(format) => exporter.mutateAsync({ format, query })}
              loading={exporter.isPending}
            />
            <InviteUserMenu />
          </>
        }
      />
      <MailSetupBanner />
      <Group gap="sm" wrap="wrap" align="center">
        <SearchInput
          label={t('users.searchLabel')}
          placeholder={t('users.searchPlaceholder')}
          value={search}
          onChange={setSearch}
        />
        <Select
          aria-label={t('users.roleFilter')}
          placeholder={t('users.allRoles')}
          data={(roles.data ?? []).map((r) => ({ value: r.id, label: roleName(r.id, r.name) }))}
          value={roleId || null}
          onChange={(v) => setRoleId(v ?? '')}
          clearable
          w={190}
        />
        <Select
          aria-label={t('users.statusFilter')}
          placeholder={t('users.allStatuses')}
          data={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          value={status || null}
          onChange={(v) => setStatus((v ?? '') as '' | EntryStatus)}
          clearable
          w={170}
        />
        <Text size="sm" c="dimmed" ml="auto" aria-live="polite" data-testid="users-count">
          {rows.loading ? t('common.loading') : count}
        </Text>
      </Group>
      <UsersBulkActions
        selection={selection}
        query={query}
        loadedMembers={loadedMembers}
        more={rows.atLeast || loadedMembers.length < rows.total}
      />
      <UsersTable
        query={query}
        onSort={onSort}
        onOpen={onOpen}
        onRows={setRows}
        footer={footer}
        selection={selection}
        onLoadedMembers={setLoadedMembers}
      />
      <EntryDetails selected={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}
