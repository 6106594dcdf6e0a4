import { Alert, Button, EmptyState, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconMailOff } from '@tabler/icons-react';
import { type MouseEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invitationIDsMatching } from '../../api/bulk';
import {
  type Invitation,
  type InvitationSort,
  type InvitationsQuery,
  useExportInvitations,
  useInvitations,
} from '../../api/invitations';
import { Breakable } from '../../components/Breakable';
import { BulkActionButtons, type BulkActionSpec, BulkBar } from '../../components/BulkBar';
import { useBulkRun } from '../../components/BulkRun';
import { DeliveryBadge, RoleBadge, StatusBadge } from '../../components/badges';
import classes from '../../components/DataTable.module.css';
import { ExportMenu } from '../../components/ExportMenu';
import { type Formatters, useFormat } from '../../components/format';
import { MailSetupBanner } from '../../components/MailSetupBanner';
import { useMailReadiness } from '../../components/mailReady';
import { PageHeader } from '../../components/PageHeader';
import { RowCheckbox } from '../../components/RowCheckbox';
import { SearchInput } from '../../components/SearchInput';
import { PlainHeader, SortableHeader, SortButton } from '../../components/SortableHeader';
import { TablePager } from '../../components/TablePager';
import { usePageOffset } from '../../components/usePageOffset';
import { headerState, type SelectionState, useSelection } from '../../components/useSelection';
import { useErrorText } from '../../i18n';
import { SyncMarker } from '../conflicts/SyncMarker';
import { EntryDetails, type Selected } from '../users/EntryDetails';
import { useInvitationActions } from './useInvitationActions';

const LIMIT = 50;

// Widths that fit the longest header and badge in English and German at the
// default window size (1280×800); addresses take a second line if needed.
// Who invited shows under the date, so that everything fits without cutting;
// the column sorts by either. The first column holds the rows' checkboxes.
const columns: { id: InvitationSort; labelKey: string; width: string }[] = [
  { id: 'email', labelKey: 'invitations.columns.email', width: '26%' },
  { id: 'role', labelKey: 'invitations.columns.role', width: '15%' },
  { id: 'createdAt', labelKey: 'invitations.columns.invitedAt', width: '14.5%' },
  { id: 'expiresAt', labelKey: 'invitations.columns.expiresAt', width: '13%' },
  { id: 'delivery', labelKey: 'invitations.columns.delivery', width: '13%' },
];

/**
 * InvitationsPage is the guide's Invitations section: every invitation not yet
 * accepted, with its delivery, and Delete and Resend for each, or for many
 * selected at once.
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
  const noMail = useMailReadiness() === 'notSetUp';
  // A new search or filter shows other rows: the selection starts again.
  const selection = useSelection(JSON.stringify([debouncedSearch, state]));
  const pageIds = list.data?.entries.map((inv) => inv.id) ?? [];
  const pageKey = list.isPlaceholderData ? '' : JSON.stringify([query, offset]);
  const pageIdsKey = pageIds.join(',');
  // Rows deleted meanwhile (here, in the details, or by another action) leave the selection.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pageIdsKey stands for pageIds
  useEffect(() => {
    if (pageKey) selection.shown(pageKey, pageIds);
  }, [pageKey, pageIdsKey, selection.shown]);

  const total = list.data?.total ?? 0;
  // The page may have become empty after a deletion: go back one.
  useEffect(() => {
    if (list.data && list.data.entries.length === 0 && offset > 0 && offset >= total) {
      setOffset(Math.max(0, offset - LIMIT));
    }
  }, [list.data, offset, total, setOffset]);

  const filtered = !!(debouncedSearch || state);
  const pageSelected = headerState(selection.selection, pageIds).checked;
  // sorting is what every sortable header of the table gets.
  const sorting = { ...sort, onSort: (s: InvitationSort, desc: boolean) => setSort({ sort: s, desc }) };
  // The others get the page's select-all checkbox too, shown by the email header.
  const headers = {
    ...sorting,
    selectRows: {
      column: 'email' as const,
      label: t('bulk.selectPageInvitations'),
      selection,
      rowIds: pageIds,
    },
  };
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
      <MailSetupBanner />
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
      <InvitationsBulkBar selection={selection} query={query} total={total} pageSelected={pageSelected} />
      <div className={`${classes.frame} ${classes.shrink}`}>
        <table className={classes.table} aria-label={t('invitations.tableLabel')} aria-busy={list.isFetching}>
          <colgroup>
            {columns.map((c) => (
              <col key={c.id} style={{ width: c.width }} />
            ))}
            <col style={{ width: '18.5%' }} />
          </colgroup>
          <thead>
            <tr>
              {columns.map((c) =>
                c.id === 'createdAt' ? (
                  <InvitedHeader key={c.id} {...sorting} />
                ) : (
                  <SortableHeader key={c.id} {...headers} column={c.id} label={t(c.labelKey)} />
                ),
              )}
              <PlainHeader label={t('common.actions')} />
            </tr>
          </thead>
          <tbody>
            {list.isPending
              ? Array.from({ length: 8 }, (_, i) => <SkeletonRow key={String(i)} />)
              : list.data?.entries.map((inv, i) => (
                  <InvitationRow
                    key={inv.id}
                    inv={inv}
                    fmt={fmt}
                    noMail={noMail}
                    resending={actions.resendingId === inv.id}
                    onResend={() => actions.resend(inv)}
                    retrying={actions.retryingOutboxId === inv.outboxId}
                    onRetry={() => actions.retry(inv)}
                    onDelete={() => actions.askDelete(inv)}
                    onOpen={() => setSelected({ kind: 'invitation', id: inv.id })}
                    selected={selection.has(inv.id)}
                    onSelect={(shift) => selection.toggle(i, shift, (k) => pageIds[k])}
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
  /** noMail is set while no mail server is set up: queued emails wait for it. */
  noMail: boolean;
  resending: boolean;
  onResend: () => void;
  retrying: boolean;
  onRetry: () => void;
  onDelete: () => void;
  onOpen: () => void;
  selected: boolean;
  onSelect: (shift: boolean) => void;
}

/** InvitationRow is one invitation; a click (or Enter) opens its details, the buttons act at once. */
function InvitationRow({
  inv,
  fmt,
  noMail,
  resending,
  onResend,
  retrying,
  onRetry,
  onDelete,
  onOpen,
  selected,
  onSelect,
}: InvitationRowProps) {
  const { t } = useTranslation();
  const expired = inv.state === 'expired';
  const stop = (fn: () => void) => (e: MouseEvent) => {
    e.stopPropagation();
    fn();
  };
  // The mail server's answer to a failed delivery takes a line of its own
  // under the row, as wide as the table, so it is read whole.
  const answer = inv.delivery === 'failed' && inv.deliveryError !== '';
  const td = `${classes.td} ${answer ? classes.joined : ''}`;
  return (
    <>
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
        <td className={`${td} ${classes.breakable}`} title={inv.email}>
          <div className={classes.selectable}>
            <RowCheckbox
              label={t('bulk.selectRow', { email: inv.email })}
              checked={selected}
              onToggle={onSelect}
            />
            <div>
              <Breakable text={inv.email} />
              <SyncMarker mark={inv.sync} />
            </div>
          </div>
        </td>
        <td className={td}>
          <RoleBadge roleId={inv.roleId} name={inv.roleName} />
        </td>
        <td className={`${td} ${classes.wrap}`} title={fmt.dateTime(inv.sentAt)}>
          <div>{fmt.date(inv.sentAt)}</div>
          <Text size="xs" c="dimmed" className={classes.breakable}>
            {t('invitations.by', { name: inv.invitedByName })}
          </Text>
        </td>
        <td className={`${td} ${expired ? classes.wrap : ''}`}>
          <div>{fmt.date(inv.expiresAt)}</div>
          {expired && <StatusBadge status="expired" />}
        </td>
        <td
          className={`${td} ${classes.wrap}`}
          title={
            inv.deliveredAt ? t('invitations.sentOn', { date: fmt.dateTime(inv.deliveredAt) }) : undefined
          }
        >
          <DeliveryBadge delivery={inv.delivery} />
          {noMail && inv.delivery === 'queued' && (
            <Text size="xs" c="dimmed" mt={2} className={classes.breakable}>
              {t('invitations.waitingForMail')}
            </Text>
          )}
        </td>
        <td className={`${td} ${classes.wrap}`}>
          <Group gap={4} wrap="wrap">
            {inv.delivery === 'failed' && (
              <Button size="compact-sm" px={8} variant="light" loading={retrying} onClick={stop(onRetry)}>
                {t('invitations.retry')}
              </Button>
            )}
            <Button size="compact-sm" px={8} variant="light" loading={resending} onClick={stop(onResend)}>
              {t('invitations.resend')}
            </Button>
            <Button size="compact-sm" px={8} variant="light" color="red" onClick={stop(onDelete)}>
              {t('invitations.delete')}
            </Button>
          </Group>
        </td>
      </tr>
      {answer && (
        <tr className={`${classes.row} ${classes.answerRow}`} data-answer-of={inv.id} onClick={onOpen}>
          <td colSpan={columns.length + 1} className={`${classes.td} ${classes.answer}`}>
            <Text size="xs" c="var(--mantine-color-error)" className={classes.breakAnywhere}>
              {t('invitations.serverAnswer', { error: inv.deliveryError })}
            </Text>
          </td>
        </tr>
      )}
    </>
  );
}

function SkeletonRow() {
  return (
    <tr>
      {['80%', '60%', '70%', '60%', '50%', '70%'].map((w, i) => (
        <td key={String(i)} className={classes.td}>
          <span className={classes.skeleton} style={{ width: w }} />
        </td>
      ))}
    </tr>
  );
}

interface InvitedHeaderProps {
  sort: InvitationSort;
  desc: boolean;
  onSort: (sort: InvitationSort, desc: boolean) => void;
}

/**
 * InvitedHeader heads the column of when and by whom an invitation was
 * issued: its upper button sorts by the date, its lower one by who invited,
 * as the cells show them.
 */
function InvitedHeader({ sort, desc, onSort }: InvitedHeaderProps) {
  const { t } = useTranslation();
  const active = sort === 'createdAt' || sort === 'invitedBy';
  const line = { sort, desc, onSort, iconSize: 12, line: true };
  return (
    <th
      aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}
      className={classes.th}
      // Named as it reads ("Invited by"), not by its two buttons' names in a row.
      aria-label={t('invitations.columns.invitedBy')}
    >
      <div className={classes.stacked}>
        <SortButton {...line} column="createdAt" label={t('invitations.columns.invitedAt')} firstDesc />{' '}
        <SortButton
          {...line}
          column="invitedBy"
          label={t('invitations.columns.by')}
          ariaLabel={t('invitations.columns.invitedBy')}
        />
      </div>
    </th>
  );
}

/** invitationActions are the bulk actions on invitations. */
const invitationActions: BulkActionSpec[] = [
  {
    action: 'resend',
    label: 'bulk.resend',
    title: 'bulk.resendTitle',
    confirm: 'bulk.resendConfirm',
    text: 'bulk.resendText',
    success: 'bulk.resent',
  },
  {
    action: 'delete',
    label: 'bulk.delete',
    title: 'bulk.deleteTitle',
    confirm: 'bulk.deleteConfirm',
    text: 'bulk.deleteText',
    success: 'bulk.deleted',
    destructive: true,
  },
];

interface InvitationsBulkBarProps {
  selection: SelectionState;
  query: InvitationsQuery;
  total: number;
  /** pageSelected is set when every invitation of the page shown is selected. */
  pageSelected: boolean;
}

/**
 * InvitationsBulkBar is the bar over the Invitations list while invitations
 * are selected: Resend and Delete for all of them at once, each after one
 * confirmation, and "Select all N that match" across the pages.
 */
function InvitationsBulkBar({ selection, query, total, pageSelected }: InvitationsBulkBarProps) {
  const { t } = useTranslation();
  const run = useBulkRun((res) => selection.replace(res.failed.map((f) => f.id)));
  const ids = [...selection.selection.ids];

  return (
    <>
      {selection.count > 0 && (
        <BulkBar
          label={t('bulk.invitationsRegion')}
          selection={selection}
          matching={pageSelected && total > selection.count ? { total } : undefined}
          loadMatching={() => invitationIDsMatching(query)}
        >
          <BulkActionButtons actions={invitationActions} ids={ids} ask={run.ask} />
        </BulkBar>
      )}
      {run.dialogs}
    </>
  );
}
