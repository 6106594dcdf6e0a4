import { useCallback, useState } from 'react';

/**
 * usePageOffset is a paged list's offset for its TablePager. It belongs to the
 * query it was set for: a new search, filter or order starts on the first page
 * at once, without first fetching the old page of the new query.
 */
export function usePageOffset(query: object): [number, (offset: number) => void] {
  const key = JSON.stringify(query);
  const [paged, setPaged] = useState({ key, offset: 0 });
  const setOffset = useCallback((offset: number) => setPaged({ key, offset }), [key]);
  return [paged.key === key ? paged.offset : 0, setOffset];
}
