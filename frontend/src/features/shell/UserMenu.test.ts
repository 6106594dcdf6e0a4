import { describe, expect, it } from 'vitest';
import { initials } from './UserMenu';

describe('initials', () => {
  it.each([
    ['Ada Admin', 'AA'],
    ['  ada  ', 'A'],
    ['Jean-Luc de la Tour', 'JT'],
    ['Ölaf Ärger', 'ÖÄ'],
    ['', ''],
  ])('%j gives %j', (name, want) => {
    expect(initials(name)).toBe(want);
  });
});
