import { describe, expect, it } from 'vitest';
import { pagesFor, rowCount } from './useDirectoryRows';

describe('pagesFor', () => {
  it.each([
    [0, 20, [0]],
    [0, 90, [0, 1]],
    [140, 160, [1]],
    [190, 205, [1, 2]],
    [99_990, 100_000, [999, 1000]],
  ])('rows %i..%i come from pages %j', (first, last, want) => {
    expect(pagesFor(first, last)).toEqual(want);
  });

  it('asks for the first page while nothing is in view', () => {
    expect(pagesFor(0, -1)).toEqual([0]);
  });

  it('fetches a little ahead and behind', () => {
    expect(pagesFor(120, 140, 100, 30)).toEqual([0, 1]);
    expect(pagesFor(150, 180, 100, 30)).toEqual([1, 2]);
  });
});

describe('rowCount', () => {
  it('is the total when it is exact', () => {
    expect(rowCount(361, false, 500)).toBe(361);
  });

  it('grows past a lower bound as full pages arrive', () => {
    expect(rowCount(10_000, true, 0)).toBe(10_000);
    expect(rowCount(10_000, true, 10_100)).toBe(10_100);
  });
});
