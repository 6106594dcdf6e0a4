import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { usePageOffset } from './usePageOffset';

describe('usePageOffset', () => {
  it('keeps the page of a query and starts a new query on the first page at once', () => {
    const { result, rerender } = renderHook(({ query }) => usePageOffset(query), {
      initialProps: { query: { search: '', state: '' } as object },
    });
    expect(result.current[0]).toBe(0);

    act(() => result.current[1](50));
    expect(result.current[0]).toBe(50);

    // An equal query (a new object on every render) keeps the page.
    rerender({ query: { search: '', state: '' } });
    expect(result.current[0]).toBe(50);

    // A new search is on the first page in the very render that brings it.
    rerender({ query: { search: 'ada', state: '' } });
    expect(result.current[0]).toBe(0);
    act(() => result.current[1](100));
    expect(result.current[0]).toBe(100);

    // Going back to the old query does not bring back its old page.
    rerender({ query: { search: '', state: '' } });
    expect(result.current[0]).toBe(0);
  });
});
