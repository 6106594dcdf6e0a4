import { Alert } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconAlertTriangle, IconMailForward } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type KeyboardEvent,
  memo,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import {
  type DirectoryEntry,
  type DirectoryPage,
  type DirectoryQuery,
  type DirectorySort,
  usersKeys,
} from '../../api/users';
import { Breakable } from '../../components/Breakable';
import { RoleBadge, StatusBadge } from '../../components/badges';
import classes from '../../components/DataTable.module.css';
import { type Formatters, useFormat } from '../../components/format';
import { RowCheckbox } from '../../components/RowCheckbox';
import { SortableHeader } from '../../components/SortableHeader';
import type { SelectionState } from '../../components/useSelection';
import { useErrorText } from '../../i18n';
import { SyncMarker } from '../conflicts/SyncMarker';
import { type DirectoryRows, useDirectoryRows } from './useDirectoryRows';

export const ROW_HEIGHT = 48;
const HEADER_HEIGHT = 42;

// Widths that fit the longest header and badge in English and German at the
// default window size (1280×800); names and addresses take a second line if needed.
// The first column holds the rows' checkboxes beside the names.
const columns: { id: DirectorySort; labelKey: string; width: string }[] = [
  { id: 'name', labelKey: 'users.columns.name', width: '23%' },
  { id: 'email', labelKey: 'users.columns.email', width: '32%' },
  { id: 'role', labelKey: 'users.columns.role', width: '15%' },
  { id: 'status', labelKey: 'users.columns.status', width: '13%' },
  { id: 'joinedAt', labelKey: 'users.columns.joinedAt', width: '17%' },
];

interface UsersTableProps {
  query: DirectoryQuery;
  onSort: (sort: DirectorySort, desc: boolean) => void;
  onOpen: (entry: DirectoryEntry) => void;
  /** onRows tells the page how many rows match, for its count and empty state. */
  onRows?: (rows: Pick<DirectoryRows, 'total' | 'atLeast' | 'loading'>) => void;
  /** footer is shown below the rows inside the scrolling frame (the empty state). */
  footer?: ReactNode;
  /** selection, when given, gives members a checkbox each (invitations are managed under Invitations). */
  selection?: SelectionState;
  /** onLoadedMembers tells the page the ids of the members loaded so far, in the list's order. */
  onLoadedMembers?: (ids: string[]) => void;
}

/**
 * UsersTable is the Users list: one table of members and invitations, virtual
 * (only the rows in view exist in the page) and paged from Go as it scrolls.
 * Rows are focusable; arrow keys, Page Up/Down, Home and End move between
 * them and Enter opens one. With a selection, members have checkboxes: Space
 * selects the focused member (Shift+Space, like Shift-click, a range from the
 * last one clicked), the header's checkbox every member loaded.
 */
export function UsersTable({
  query,
  onSort,
  onOpen,
  onRows,
  footer,
  selection,
  onLoadedMembers,
}: UsersTableProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState({ first: 0, last: 40 });
  const rows = useDirectoryRows(query, range.first, range.last);
  const labels = useMemo<RowLabels>(
    () => ({ invitedOn: (date) => t('users.invitedOn', { date }), notJoined: t('users.invitedName') }),
    [t],
  );

  const virtualizer = useVirtualizer({
    count: rows.loading && rows.count === 0 ? 12 : rows.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    initialRect: { width: 1000, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  // The range to fetch follows the viewport once it rests for a moment: no
  // render per scrolled frame, and no request for every page a fast scroll passes.
  const settleRange = useDebouncedCallback((first: number, last: number) => {
    setRange((r) => (r.first === first && r.last === last ? r : { first, last }));
  }, 50);
  useEffect(() => settleRange(firstIndex, lastIndex), [settleRange, firstIndex, lastIndex]);

  // The members loaded so far, in the list's order: what the header's checkbox selects.
  const qc = useQueryClient();
  const queryKey = JSON.stringify(query);
  const loadedPages = qc
    .getQueriesData<DirectoryPage>({ queryKey: [...usersKeys.directory, query] })
    .flatMap(([key, data]) =>
      data && typeof key[3] === 'number'
        ? [{ page: key[3], ids: data.entries.filter((e) => e.kind === 'user').map((e) => e.id) }]
        : [],
    )
    .sort((a, b) => a.page - b.page);
  const loadedMembers = loadedPages.flatMap((p) => p.ids);
  // What every header gets: with a selection, the name header shows the select-all checkbox.
  const headers = {
    sort: query.sort,
    desc: query.desc,
    onSort,
    selectRows: selection && {
      column: 'name' as const,
      label: t('bulk.selectShownUsers'),
      selection,
      rowIds: loadedMembers,
    },
  };
  const loadedKey = JSON.stringify(loadedPages);
  // Members that left the loaded pages (removed here or in their details)
  // leave the selection: those that were on a page loaded before and now,
  // and are on none now (a removal above shifts rows to the page before).
  const shownPages = useRef<{ query: string; pages: Map<number, string[]> } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: loadedKey stands for loadedPages
  useEffect(() => {
    onLoadedMembers?.(loadedMembers);
    const prev = shownPages.current;
    const pages = new Map(loadedPages.map((p) => [p.page, p.ids]));
    shownPages.current = { query: queryKey, pages };
    if (!selection || prev?.query !== queryKey) return;
    const before = [...prev.pages].flatMap(([page, ids]) => (pages.has(page) ? ids : []));
    selection.drop(before, loadedMembers);
  }, [loadedKey, onLoadedMembers, queryKey]);
  const selRef = useRef(selection);
  selRef.current = selection;
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const onSelect = useCallback((index: number, shift: boolean) => {
    selRef.current?.toggle(index, shift, (i) => {
      const e = rowsRef.current.rowAt(i);
      return e?.kind === 'user' ? e.id : undefined;
    });
  }, []);

  const { total, atLeast, loading } = rows;
  useEffect(() => {
    onRows?.({ total, atLeast, loading });
  }, [onRows, total, atLeast, loading]);

  // Keyboard: one row is in the tab order; arrows move it.
  const [active, setActive] = useState(0);

  // A new search, filter or order starts at the top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the query changes
  useLayoutEffect(() => {
    virtualizer.scrollToOffset(0);
    setActive(0);
    settleRange.cancel();
    setRange({ first: 0, last: 40 });
  }, [queryKey]);

  const focusNext = useRef<number | null>(null);
  const visibleRows = Math.max(1, Math.floor((virtualizer.scrollRect?.height ?? 600) / ROW_HEIGHT) - 2);
  const tabbable = items.some((i) => i.index === active) ? active : firstIndex;

  useEffect(() => {
    const want = focusNext.current;
    if (want === null) return;
    // Skeleton rows share the index but cannot take focus: wait for the real row.
    const el = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${want}"][tabindex]`);
    if (el) {
      el.focus({ preventScroll: true });
      focusNext.current = null;
    }
  });

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const row = (e.target as HTMLElement).closest('tr[data-index]');
    if (!row) return;
    const index = Number(row.getAttribute('data-index'));
    if (e.target !== row) return; // a key for the row's checkbox
    if (e.key === ' ' && selection) {
      onSelect(index, e.shiftKey);
      e.preventDefault();
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      const entry = rows.rowAt(index);
      if (entry) onOpen(entry);
      e.preventDefault();
      return;
    }
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + visibleRows,
      PageUp: index - visibleRows,
      Home: 0,
      End: rows.count - 1,
    };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(rows.count - 1, moves[e.key] ?? index));
    setActive(next);
    focusNext.current = next;
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const paddingTop = items.length ? (items[0]?.start ?? HEADER_HEIGHT) - HEADER_HEIGHT : 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const showSkeleton = loading && rows.count === 0;

  return (
    <div ref={scrollRef} className={`${classes.frame} ${classes.fill}`} data-testid="users-scroll">
      <table
        className={classes.table}
        aria-label={t('users.tableLabel')}
        aria-rowcount={showSkeleton ? -1 : rows.count + 1}
        aria-busy={loading || undefined}
      >
        <colgroup>
          {columns.map((c) => (
            <col key={c.id} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((c) => (
              <SortableHeader key={c.id} {...headers} column={c.id} label={t(c.labelKey)} />
            ))}
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {paddingTop > 0 && (
            <tr className={classes.spacer}>
              <td colSpan={columns.length} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const entry = showSkeleton ? undefined : rows.rowAt(item.index);
            return entry ? (
              <UserRow
                key={item.index}
                index={item.index}
                entry={entry}
                tabbable={item.index === tabbable}
                fmt={fmt}
                labels={labels}
                onOpen={onOpen}
                onFocusRow={setActive}
                selectable={!!selection}
                selected={!!selection && entry.kind === 'user' && selection.has(entry.id)}
                onSelect={onSelect}
                selectLabel={t('bulk.selectRow', { email: entry.email })}
              />
            ) : (
              <SkeletonRow key={item.index} index={item.index} />
            );
          })}
          {paddingBottom > 0 && (
            <tr className={classes.spacer}>
              <td colSpan={columns.length} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
      {rows.error ? (
        <Alert
          m="md"
          color="red"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('users.loadFailed')}
          role="alert"
        >
          {errorText(rows.error)}
        </Alert>
      ) : null}
      {footer}
    </div>
  );
}

/** RowLabels are the texts of an invitation's row: it has no name and has not joined. */
interface RowLabels {
  invitedOn: (date: string) => string;
  notJoined: string;
}

interface UserRowProps {
  index: number;
  entry: DirectoryEntry;
  tabbable: boolean;
  fmt: Formatters;
  labels: RowLabels;
  onOpen: (entry: DirectoryEntry) => void;
  onFocusRow: (index: number) => void;
  /** selectable gives members a checkbox (and invitations the room of one, so names align). */
  selectable: boolean;
  selected: boolean;
  onSelect: (index: number, shift: boolean) => void;
  selectLabel: string;
}

/** UserRow is one member or invitation; it re-renders only when its own data changes. */
const UserRow = memo(function UserRow({
  index,
  entry,
  tabbable,
  fmt,
  labels,
  onOpen,
  onFocusRow,
  selectable,
  selected,
  onSelect,
  selectLabel,
}: UserRowProps) {
  // An invitation's date is when it was issued: it shows as "Invited …",
  // never under Join date as if the person had joined.
  const invitation = entry.kind === 'invitation';
  const invited = invitation ? labels.invitedOn(fmt.date(entry.joinedAt)) : '';
  const name = invitation ? (
    <span className={classes.dimmed} style={{ fontStyle: 'italic' }}>
      <IconMailForward size={15} stroke={1.6} aria-hidden style={{ verticalAlign: '-2px', marginRight: 6 }} />
      {invited}
    </span>
  ) : (
    <span style={{ fontWeight: 500 }}>
      <Breakable text={entry.name} />
    </span>
  );
  return (
    <tr
      className={classes.row}
      data-index={index}
      data-kind={entry.kind}
      aria-rowindex={index + 2}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onOpen(entry)}
      onFocus={() => onFocusRow(index)}
      style={{ height: ROW_HEIGHT }}
    >
      <td className={`${classes.td} ${classes.breakable}`} title={invitation ? invited : entry.name}>
        {selectable ? (
          <div className={classes.selectable}>
            {invitation ? (
              <span className={classes.checkboxRoom} />
            ) : (
              <RowCheckbox
                label={selectLabel}
                checked={selected}
                onToggle={(shift) => onSelect(index, shift)}
                tabbable={false}
              />
            )}
            <div>{name}</div>
          </div>
        ) : (
          name
        )}
      </td>
      <td className={`${classes.td} ${classes.breakable}`} title={entry.email}>
        <Breakable text={entry.email} />
        <SyncMarker mark={entry.sync} />
      </td>
      <td className={classes.td}>
        <RoleBadge roleId={entry.roleId} name={entry.roleName} />
      </td>
      <td className={classes.td}>
        <StatusBadge status={entry.status} />
      </td>
      {invitation ? (
        <td className={`${classes.td} ${classes.dimmed}`} title={labels.notJoined}>
          —
        </td>
      ) : (
        <td className={classes.td}>{fmt.date(entry.joinedAt)}</td>
      )}
    </tr>
  );
});

const skeletonWidths = ['70%', '80%', '50%', '45%', '55%'];

const SkeletonRow = memo(function SkeletonRow({ index }: { index: number }) {
  return (
    <tr data-index={index} style={{ height: ROW_HEIGHT }}>
      {skeletonWidths.map((w, i) => (
        <td key={w + String(i)} className={classes.td}>
          <span className={classes.skeleton} style={{ width: i === 1 ? `${60 + ((index * 7) % 30)}%` : w }} />
        </td>
      ))}
    </tr>
  );
});
