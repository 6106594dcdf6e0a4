import { Checkbox } from '@mantine/core';
import type { KeyboardEvent, MouseEvent } from 'react';

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
