import { describe, expect, it } from 'vitest';
import {
  dropVanished,
  emptySelection,
  headerState,
  type Selection,
  setRows,
  toggleRow,
} from './useSelection';

// Rows a…f at indexes 0…5; the row at 3 is an invitation in the Users list (not selectable).
const rows = ['a', 'b', 'c', undefined, 'e', 'f'];
const idAt = (i: number) => rows[i];
const ids = (s: Selection) => [...s.ids].sort();

describe('toggleRow', () => {
  it('selects and unselects one row with a plain click', () => {
    const one = toggleRow(emptySelection, 1, false, idAt);
    expect(ids(one)).toEqual(['b']);
    expect(one.anchor).toBe(1);
    expect(ids(toggleRow(one, 1, false, idAt))).toEqual([]);
  });

  it('selects the range from the last click to a Shift-click, skipping rows that cannot be selected', () => {
    const s = toggleRow(toggleRow(emptySelection, 1, false, idAt), 5, true, idAt);
    expect(ids(s)).toEqual(['b', 'c', 'e', 'f']);
    // The anchor stays, so a second Shift-click changes the range from the same row.
    expect(s.anchor).toBe(1);
  });

  it('ranges upwards as well', () => {
    const s = toggleRow(toggleRow(emptySelection, 4, false, idAt), 0, true, idAt);
    expect(ids(s)).toEqual(['a', 'b', 'c', 'e']);
  });

  it('unselects a range when the Shift-clicked row was selected', () => {
    const all = setRows(emptySelection, ['a', 'b', 'c', 'e', 'f'], true);
    const s = toggleRow(toggleRow(all, 0, false, idAt), 2, true, idAt);
    expect(ids(s)).toEqual(['e', 'f']);
  });

  it('treats a Shift-click without an earlier click as a plain one', () => {
    expect(ids(toggleRow(emptySelection, 2, true, idAt))).toEqual(['c']);
  });

  it('ignores a click on a row that cannot be selected, and forgets "all that match"', () => {
    const matched: Selection = { ids: new Set(['a']), anchor: null, matched: { capped: false } };
    expect(toggleRow(matched, 3, false, idAt)).toBe(matched);
    expect(toggleRow(matched, 1, false, idAt).matched).toBeNull();
  });
});

describe('headerState', () => {
  it('is checked when every row shown is selected, indeterminate when some are', () => {
    expect(headerState(emptySelection, ['a', 'b'])).toEqual({ checked: false, indeterminate: false });
    expect(headerState(setRows(emptySelection, ['a'], true), ['a', 'b'])).toEqual({
      checked: false,
      indeterminate: true,
    });
    expect(headerState(setRows(emptySelection, ['a', 'b', 'x'], true), ['a', 'b'])).toEqual({
      checked: true,
      indeterminate: false,
    });
    expect(headerState(emptySelection, [])).toEqual({ checked: false, indeterminate: false });
  });

  it('unselects the rows shown and keeps the others', () => {
    const s = setRows(setRows(emptySelection, ['a', 'b', 'x'], true), ['a', 'b'], false);
    expect(ids(s)).toEqual(['x']);
  });
});

describe('dropVanished', () => {
  it('drops the selected rows that left the page, and keeps rows of other pages', () => {
    const s = setRows(emptySelection, ['a', 'b', 'x'], true);
    expect(ids(dropVanished(s, ['a', 'b', 'c'], ['a', 'c', 'd']))).toEqual(['a', 'x']);
  });

  it('returns the same selection when nothing vanished', () => {
    const s = setRows(emptySelection, ['a'], true);
    expect(dropVanished(s, ['a', 'b'], ['a', 'b', 'c'])).toBe(s);
  });
});
