import { Group, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import type { CSSProperties, ReactNode } from 'react';
import classes from './DataTable.module.css';

interface SortableHeaderProps<S extends string> {
  column: S;
  label: string;
  sort: S;
  desc: boolean;
  onSort: (column: S, desc: boolean) => void;
  style?: CSSProperties;
  /** before is shown left of the label, outside the sort button (the select-all checkbox). */
  before?: ReactNode;
}

/**
 * SortableHeader is a column header that sorts the table by its column: a
 * click sorts ascending, a second click descending. aria-sort tells
 * assistive technology how the table is sorted.
 */
export function SortableHeader<S extends string>({
  column,
  label,
  sort,
  desc,
  onSort,
  style,
  before,
}: SortableHeaderProps<S>) {
  const active = sort === column;
  const Icon = active ? (desc ? IconChevronDown : IconChevronUp) : IconSelector;
  const button = (
    <UnstyledButton
      className={classes.sortButton}
      data-active={active || undefined}
      onClick={() => onSort(column, active ? !desc : false)}
    >
      <Group gap={4} wrap="nowrap">
        <span className={classes.thLabel}>{label}</span>
        <Icon size={14} stroke={1.8} aria-hidden className={classes.sortIcon} />
      </Group>
    </UnstyledButton>
  );
  return (
    <th
      aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}
      className={classes.th}
      style={style}
      // The header is named by its label alone, not by the checkbox beside it.
      aria-label={before ? label : undefined}
    >
      {before ? (
        <div className={classes.selectable}>
          {before}
          {button}
        </div>
      ) : (
        button
      )}
    </th>
  );
}

/** PlainHeader is a column header that does not sort. */
export function PlainHeader({ label, style }: { label: string; style?: CSSProperties }) {
  return (
    <th className={classes.th} style={style}>
      <span className={classes.thLabel}>{label}</span>
    </th>
  );
}
