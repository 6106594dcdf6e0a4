import { Group, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconSelector } from '@tabler/icons-react';
import type { CSSProperties } from 'react';
import classes from './DataTable.module.css';
import { RowsCheckbox, type RowsCheckboxProps } from './RowCheckbox';

interface SortButtonProps<S extends string> {
  column: S;
  label: string;
  sort: S;
  desc: boolean;
  onSort: (column: S, desc: boolean) => void;
  /** ariaLabel names the button when its label alone does not ("Invited by" for "by"). */
  ariaLabel?: string;
  /** firstDesc makes the first click sort descending (newest first for a date). */
  firstDesc?: boolean;
  iconSize?: number;
  /** line sets the button as one of the lines of a stacked header. */
  line?: boolean;
}

/**
 * SortButton is a header's button that sorts the table by its column: the
 * first click sorts ascending (descending with firstDesc), a second click
 * the other way. Its icon shows the sorted direction.
 */
export function SortButton<S extends string>({
  column,
  label,
  sort,
  desc,
  onSort,
  ariaLabel,
  firstDesc = false,
  iconSize = 14,
  line = false,
}: SortButtonProps<S>) {
  const active = sort === column;
  const Icon = active ? (desc ? IconChevronDown : IconChevronUp) : IconSelector;
  return (
    <UnstyledButton
      className={line ? `${classes.sortButton} ${classes.sortButtonLine}` : classes.sortButton}
      data-active={active || undefined}
      aria-label={ariaLabel}
      onClick={() => onSort(column, active ? !desc : firstDesc)}
    >
      <Group gap={4} wrap="nowrap">
        <span className={classes.thLabel}>{label}</span>
        <Icon size={iconSize} stroke={1.8} aria-hidden className={classes.sortIcon} />
      </Group>
    </UnstyledButton>
  );
}

interface SortableHeaderProps<S extends string> {
  column: S;
  label: string;
  sort: S;
  desc: boolean;
  onSort: (column: S, desc: boolean) => void;
  style?: CSSProperties;
  /**
   * selectRows puts the select-all checkbox of these rows left of the label,
   * outside the sort button, in the header of its column; the other headers
   * of the table, given the same, show none.
   */
  selectRows?: RowsCheckboxProps & { column: S };
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
  selectRows,
}: SortableHeaderProps<S>) {
  const active = sort === column;
  const select = selectRows?.column === column ? selectRows : undefined;
  const button = <SortButton column={column} label={label} sort={sort} desc={desc} onSort={onSort} />;
  return (
    <th
      aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}
      className={classes.th}
      style={style}
      // The header is named by its label alone, not by the checkbox beside it.
      aria-label={select ? label : undefined}
    >
      {select ? (
        <div className={classes.selectable}>
          <RowsCheckbox label={select.label} selection={select.selection} rowIds={select.rowIds} />
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
