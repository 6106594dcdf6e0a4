import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  type DirectoryEntry,
  type DirectoryPage,
  type DirectoryQuery,
  findDirectory,
  usersKeys,
} from '../../api/users';

/** PAGE_SIZE is how many rows one call to Go fetches. */
export const PAGE_SIZE = 100;

/** PREFETCH is how many rows beyond the visible ones are fetched ahead. */
const PREFETCH = 30;

/** pagesFor lists the pages that hold rows first..last (both included), with some rows ahead and behind. */
export function pagesFor(first: number, last: number, pageSize = PAGE_SIZE, ahead = PREFETCH): number[] {
  if (last < first) return [0];
  const from = Math.floor(Math.max(0, first - ahead) / pageSize);
  const to = Math.floor((last + ahead) / pageSize);
  const pages: number[] = [];
  for (let p = from; p <= to; p++) pages.push(p);
  return pages;
}

/**
 * rowCount is how many rows the list has room for. When the total is only a
 * lower bound (atLeast), the list grows as full pages keep arriving.
 */
export function rowCount(total: number, atLeast: boolean, extent: number): number {
  return atLeast ? Math.max(total, extent) : total;
}

interface Known {
  key: string;
  total: number;
  atLeast: boolean;
  extent: number;
}

export interface DirectoryRows {
  /** count is how many rows the list shows (loaded or not). */
  count: number;
  total: number;
  atLeast: boolean;
  /** loading is set until the first page of the current query has arrived. */
  loading: boolean;
  error: unknown;
  /** rowAt returns the loaded row at an index, or undefined while it loads. */
  rowAt: (index: number) => DirectoryEntry | undefined;
}

/**
 * useDirectoryRows pages the Users list from Go as the viewport moves: only the
 * pages around rows first..last are fetched, never the whole list. The caller
 * passes the range where the viewport rests (after scrolling settles), so a
 * fast scroll through 100,000 rows does not ask Go for every page it passes;
 * rows already in the cache show at once wherever the viewport is.
 */
export function useDirectoryRows(query: DirectoryQuery, first: number, last: number): DirectoryRows {
  const qc = useQueryClient();
  const key = JSON.stringify(query);
  const fetchPages = pagesFor(first, last);

  const results = useQueries({
    queries: fetchPages.map((page) => ({
      queryKey: usersKeys.page(query, page),
      queryFn: () => findDirectory(query, page * PAGE_SIZE, PAGE_SIZE),
      staleTime: 30_000,
    })),
  });

  const pageData = (page: number) => qc.getQueryData<DirectoryPage>(usersKeys.page(query, page));

  // The total of the current query, kept while another query loads so the list does not jump.
  const [known, setKnown] = useState<Known | undefined>();
  const arrived = results.find((r) => r.data)?.data;
  let extent = 0;
  results.forEach((r, i) => {
    const page = fetchPages[i] ?? 0;
    if (r.data) {
      extent = Math.max(
        extent,
        page * PAGE_SIZE + r.data.entries.length + (r.data.entries.length === PAGE_SIZE ? PAGE_SIZE : 0),
      );
    }
  });
  useEffect(() => {
    if (!arrived) return;
    setKnown((k) => {
      const sameKey = k?.key === key;
      const next = {
        key,
        total: arrived.total,
        atLeast: arrived.atLeast,
        extent: sameKey ? Math.max(k.extent, extent) : extent,
      };
      if (
        k &&
        k.key === next.key &&
        k.total === next.total &&
        k.atLeast === next.atLeast &&
        k.extent === next.extent
      ) {
        return k;
      }
      return next;
    });
  }, [arrived, key, extent]);

  const current = known?.key === key ? known : undefined;
  const shown = current ?? known;
  const total = shown?.total ?? 0;
  const atLeast = shown?.atLeast ?? false;
  const error = results.find((r) => r.error)?.error;
  return {
    count: rowCount(total, atLeast, shown?.extent ?? 0),
    total,
    atLeast,
    loading: !current && !error,
    error,
    rowAt: (index) => pageData(Math.floor(index / PAGE_SIZE))?.entries[index % PAGE_SIZE],
  };
}
