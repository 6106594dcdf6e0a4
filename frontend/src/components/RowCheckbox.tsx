import { Checkbox } from '@mantine/core';
import type { KeyboardEvent, MouseEvent } from 'react';
import { headerState, type SelectionState } from './useSelection';

interface RowCheckboxProps {
  /** label names the row for assistive technology ("Select ada@example.com"). */
  label: string;
  checked: boolean;
  indeterminate?: boolean;
  /** onToggle gets whether Shift was held: a range from the last row clicked. */
  onToggle: (shift: boolean) => void;
  /** tabbable puts the checkbox in the tab order; lists whose rows take the focus leave it out. */
  tabbable?: boolean;
}

/**
 * RowCheckbox selects a row (or, in the header, every row shown). Its click
 * does not reach the row, which opens the row's details.
 */
export function RowCheckbox({ label, checked, indeterminate, onToggle, tabbable = true }: RowCheckboxProps) {
  return (
    <Checkbox
      size="sm"
      aria-label={label}
      checked={checked}
      indeterminate={indeterminate}
      onChange={() => {}}
      tabIndex={tabbable ? 0 : -1}
      onClick={(e: MouseEvent<HTMLInputElement>) => {
        e.stopPropagation();
        onToggle(e.shiftKey);
      }}
      onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => e.stopPropagation()}
      styles={{ input: { cursor: 'pointer' } }}
    />
  );
}

export interface RowsCheckboxProps {
  /** label names the rows for assistive technology ("Select all invitations on this page"). */
  label: string;
  selection: SelectionState;
  /** rowIds are the rows it selects: those shown, in the list's order. */
  rowIds: readonly string[];
}

/**
 * RowsCheckbox is the header's RowCheckbox: checked when every row of rowIds
 * is selected, indeterminate when some are; a click selects them all, or
 * none once all are.
 */
export function RowsCheckbox({ label, selection, rowIds }: RowsCheckboxProps) {
  const header = headerState(selection.selection, rowIds);
  return (
    <RowCheckbox
      label={label}
      checked={header.checked}
      indeterminate={header.indeterminate}
      onToggle={() => selection.setRows(rowIds, !header.checked)}
    />
  );
}
