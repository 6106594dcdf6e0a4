import { Alert, Button, EmptyState, Group, SegmentedControl, Stack, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconMailOff } from '@tabler/icons-react';
import { type MouseEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Invitation,
  type InvitationSort,
  type InvitationsQuery,
  useExportInvitations,
  useInvitations,
} from '../../api/invitations';
import { DeliveryBadge, RoleBadge, StatusBadge } from '../../components/badges';
import classes from '../../components/DataTable.module.css';
import { ExportMenu } from '../../components/ExportMenu';
import { type Formatters, useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { SearchInput } from '../../components/SearchInput';
import { PlainHeader, SortableHeader } from '../../components/SortableHeader';
import { TablePager } from '../../components/TablePager';
import { usePageOffset } from '../../components/usePageOffset';
import { useErrorText } from '../../i18n';
import { EntryDetails, type Selected } from '../users/EntryDetails';
import { useInvitationActions } from './useInvitationActions';

const LIMIT = 50;

const columns: { id: InvitationSort; labelKey: string; width: string }[] = [
  { id: 'email', labelKey: 'invitations.columns.email', width: '19%' },
  { id: 'role', labelKey: 'invitations.columns.role', width: '10%' },
  { id: 'invitedBy', labelKey: 'invitations.columns.invitedBy', width: '12%' },
  { id: 'createdAt', labelKey: 'invitations.columns.sentAt', width: '12%' },
  { id: 'expiresAt', labelKey: 'invitations.columns.expiresAt', width: '12%' },
  { id: 'delivery', labelKey: 'invitations.columns.delivery', width: '13%' },
];

/**
 * InvitationsPage is the guide's Invitations section: every invitation not yet
 * accepted, with its delivery, and Delete and Resend for each.
 */
export function InvitationsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const [state, setState] = useState<InvitationsQuery['state']>('');
  const [sort, setSort] = useState<{ sort: InvitationSort; desc: boolean }>({
    sort: 'createdAt',
    desc: true,
  });
  const query: InvitationsQuery = { search: debouncedSearch, state, ...sort };
  const [offset, setOffset] = usePageOffset(query);
  const list = useInvitations(query, offset, LIMIT);
  const exporter = useExportInvitations();
  const actions = useInvitationActions();
  const [selected, setSelected] = useState<Selected | null>(null);

  const total = list.data?.total ?? 0;
  // The page may have become empty after a deletion: go back one.
  useEffect(() => {
    if (list.data && list.data.entries.length === 0 && offset > 0 && offset >= total) {
      setOffset(Math.max(0, offset - LIMIT));
    }
  }, [list.data, offset, total, setOffset]);

  const filtered = !!(debouncedSearch || state);
  return (
    <Stack p="xl" gap="md" h="100dvh">
      <PageHeader
        title={t('invitations.title')}
        description={t('invitations.description')}
        actions={
          <ExportMenu
            run={(format) => exporter.mutateAsync({ format, query })}
            loading={exporter.isPending}
          />
        }
      />
      <Group gap="sm" wrap="wrap">
        <SearchInput
          label={t('invitations.searchLabel')}
          placeholder={t('invitations.searchPlaceholder')}
          value={search}
          onChange={setSearch}
        />
        <SegmentedControl
          aria-label={t('invitations.stateFilter')}
          value={state || 'all'}
          onChange={(v) => setState(v === 'all' ? '' : (v as InvitationsQuery['state']))}
          data={[
            { value: 'all', label: t('invitations.stateAll') },
            { value: 'pending', label: t('status.pending') },
            { value: 'expired', label: t('status.expired') },
          ]}
        />
      </Group>
      <div className={`${classes.frame} ${classes.shrink}`}>
        <table className={classes.table} aria-label={t('invitations.tableLabel')} aria-busy={list.isFetching}>
          <colgroup>
            {columns.map((c) => (
              <col key={c.id} style={{ width: c.width }} />
            ))}
            <col style={{ width: '22%' }} />
          </colgroup>
          <thead>
            <tr>
              {columns.map((c) => (
                <SortableHeader
                  key={c.id}
                  column={c.id}
                  label={t(c.labelKey)}
                  sort={sort.sort}
                  desc={sort.desc}
                  onSort={(s, desc) => setSort({ sort: s, desc })}
                />
              ))}
              <PlainHeader label={t('common.actions')} />
            </tr>
          </thead>
          <tbody>
            {list.isPending
              ? Array.from({ length: 8 }, (_, i) => <SkeletonRow key={String(i)} />)
              : list.data?.entries.map((inv) => (
                  <InvitationRow
                    key={inv.id}
                    inv={inv}
                    fmt={fmt}
                    resending={actions.resendingId === inv.id}
                    onResend={() => actions.resend(inv)}
                    retrying={actions.retryingOutboxId === inv.outboxId}
                    onRetry={() => actions.retry(inv)}
                    onDelete={() => actions.askDelete(inv)}
                    onOpen={() => setSelected({ kind: 'invitation', id: inv.id })}
                  />
                ))}
          </tbody>
        </table>
        {list.isError && (
          <Alert
            m="md"
            color="red"
            icon={<IconAlertTriangle aria-hidden />}
            title={t('invitations.loadFailed')}
          >
            {errorText(list.error)}
          </Alert>
        )}
        {list.data && total === 0 && (
          <EmptyState
            my="xl"
            icon={<IconMailOff size={28} stroke={1.6} aria-hidden />}
            title={filtered ? t('invitations.noMatchTitle') : t('invitations.emptyTitle')}
            description={filtered ? t('invitations.noMatchText') : t('invitations.emptyText')}
          />
        )}
      </div>
      <TablePager offset={offset} limit={LIMIT} total={total} onOffset={setOffset} />
      {actions.dialog}
      <EntryDetails selected={selected} onClose={() => setSelected(null)} />
    </Stack>
  );
}

interface InvitationRowProps {
  inv: Invitation;
  fmt: Formatters;
  resending: boolean;
  onResend: () => void;
  retrying: boolean;
  onRetry: () => void;
  onDelete: () => void;
  onOpen: () => void;
}

/** InvitationRow is one invitation; a click (or Enter) opens its details, the buttons act at once. */
function InvitationRow({
  inv,
  fmt,
  resending,
  onResend,
  retrying,
  onRetry,
  onDelete,
  onOpen,
}: InvitationRowProps) {
  const { t } = useTranslation();
  const expired = inv.state === 'expired';
  const stop = (fn: () => void) => (e: MouseEvent) => {
    e.stopPropagation();
    fn();
  };
  return (
    <tr
      data-state={inv.state}
      className={classes.row}
      tabIndex={0}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          onOpen();
        }
      }}
    >
      <td className={classes.td} title={inv.email}>
        {inv.email}
      </td>
      <td className={classes.td}>
        <RoleBadge roleId={inv.roleId} name={inv.roleName} />
      </td>
      <td className={classes.td}>{inv.invitedByName}</td>
      <td className={classes.td} title={fmt.dateTime(inv.sentAt)}>
        {fmt.date(inv.sentAt)}
      </td>
      <td className={`${classes.td} ${expired ? classes.wrap : ''}`}>
        <div>{fmt.date(inv.expiresAt)}</div>
        {expired && <StatusBadge status="expired" />}
      </td>
      <td className={`${classes.td} ${inv.deliveryError ? classes.wrap : ''}`}>
        <DeliveryBadge delivery={inv.delivery} />
        {inv.deliveryError && (
          <Tooltip label={inv.deliveryError} multiline w={320} withArrow>
            <Text size="xs" c="var(--mantine-color-error)" lineClamp={2} mt={2} tabIndex={0}>
              {t('invitations.serverAnswer', { error: inv.deliveryError })}
            </Text>
          </Tooltip>
        )}
      </td>
      <td className={`${classes.td} ${classes.wrap}`}>
        <Group gap={2} wrap="wrap">
          {inv.delivery === 'failed' && (
            <Button size="compact-sm" px={6} variant="subtle" loading={retrying} onClick={stop(onRetry)}>
              {t('invitations.retry')}
            </Button>
          )}
          <Button size="compact-sm" px={6} variant="subtle" loading={resending} onClick={stop(onResend)}>
            {t('invitations.resend')}
          </Button>
          <Button size="compact-sm" px={6} variant="subtle" color="red" onClick={stop(onDelete)}>
            {t('invitations.delete')}
          </Button>
        </Group>
      </td>
    </tr>
  );
}

function SkeletonRow() {
  return (
    <tr>
      {['80%', '60%', '60%', '70%', '60%', '50%', '70%'].map((w, i) => (
        <td key={String(i)} className={classes.td}>
          <span className={classes.skeleton} style={{ width: w }} />
        </td>
      ))}
    </tr>
  );
}
