import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

/** Selection is the rows picked in a list, by id, and how they were picked. */
export interface Selection {
  ids: ReadonlySet<string>;
  /** anchor is the index of the row last clicked without Shift: where a Shift-click range starts. */
  anchor: number | null;
  /** matched is set when every row the filter matches was selected ("Select all that match"). */
  matched: { capped: boolean } | null;
}

export const emptySelection: Selection = { ids: new Set(), anchor: null, matched: null };

/**
 * toggleRow is the selection after a click on row `index`'s checkbox. A
 * plain click turns that row on or off and makes it the anchor; a
 * Shift-click gives every row from the anchor to it (both included) the
 * state the clicked row takes, as in a mail client. idAt returns the id of
 * the row at an index, or undefined for a row not loaded or not selectable;
 * those are left out.
 */
export function toggleRow(
  s: Selection,
  index: number,
  shift: boolean,
  idAt: (index: number) => string | undefined,
): Selection {
  const id = idAt(index);
  if (id === undefined) return s;
  const on = !s.ids.has(id);
  const ids = new Set(s.ids);
  const from = shift && s.anchor !== null ? Math.min(s.anchor, index) : index;
  const to = shift && s.anchor !== null ? Math.max(s.anchor, index) : index;
  for (let i = from; i <= to; i++) {
    const rowId = idAt(i);
    if (rowId === undefined) continue;
    if (on) ids.add(rowId);
    else ids.delete(rowId);
  }
  return { ids, anchor: shift && s.anchor !== null ? s.anchor : index, matched: null };
}

/** setRows turns the given rows on or off (the header checkbox). */
export function setRows(s: Selection, rowIds: readonly string[], on: boolean): Selection {
  const ids = new Set(s.ids);
  for (const id of rowIds) {
    if (on) ids.add(id);
    else ids.delete(id);
  }
  return { ids, anchor: s.anchor, matched: null };
}

/** headerState is the header checkbox of rows: checked when all are selected, indeterminate when some are. */
export function headerState(
  s: Selection,
  rowIds: readonly string[],
): { checked: boolean; indeterminate: boolean } {
  const n = rowIds.filter((id) => s.ids.has(id)).length;
  return { checked: n > 0 && n === rowIds.length, indeterminate: n > 0 && n < rowIds.length };
}

/**
 * dropVanished removes from the selection the rows that were shown before
 * (`before`) and are not any more (`after`), of the same list page: they
 * were deleted or removed meanwhile.
 */
export function dropVanished(s: Selection, before: readonly string[], after: readonly string[]): Selection {
  const now = new Set(after);
  const gone = before.filter((id) => s.ids.has(id) && !now.has(id));
  if (gone.length === 0) return s;
  const ids = new Set(s.ids);
  for (const id of gone) ids.delete(id);
  return { ids, anchor: s.anchor, matched: null };
}

/**
 * useSelection keeps the selection of a list. It starts empty again whenever
 * resetKey changes (a new search or filter: the rows are others).
 * `shown(key, ids)` tells it which rows a page shows, so that rows that
 * vanish from it drop out of the selection.
 */
export function useSelection(resetKey: string) {
  const [sel, setSel] = useState<Selection>(emptySelection);
  const shownRef = useRef<{ key: string; ids: readonly string[] } | null>(null);
  const lastKey = useRef(resetKey);
  useEffect(() => {
    if (lastKey.current === resetKey) return;
    lastKey.current = resetKey;
    shownRef.current = null;
    setSel(emptySelection);
  }, [resetKey]);

  const shown = useCallback((key: string, ids: readonly string[]) => {
    const prev = shownRef.current;
    shownRef.current = { key, ids };
    if (prev && prev.key === key) setSel((s) => dropVanished(s, prev.ids, ids));
  }, []);

  return useMemo(
    () => ({
      selection: sel,
      count: sel.ids.size,
      has: (id: string) => sel.ids.has(id),
      toggle: (index: number, shift: boolean, idAt: (index: number) => string | undefined) =>
        setSel((s) => toggleRow(s, index, shift, idAt)),
      setRows: (ids: readonly string[], on: boolean) => setSel((s) => setRows(s, ids, on)),
      /** replace selects exactly ids (after "Select all that match", or the failed rows after an action). */
      replace: (ids: readonly string[], matched: Selection['matched'] = null) =>
        setSel({ ids: new Set(ids), anchor: null, matched }),
      clear: () => setSel(emptySelection),
      /** drop removes the rows that were in before and are not in after (see dropVanished). */
      drop: (before: readonly string[], after: readonly string[]) =>
        setSel((s) => dropVanished(s, before, after)),
      shown,
    }),
    [sel, shown],
  );
}

export type SelectionState = ReturnType<typeof useSelection>;
