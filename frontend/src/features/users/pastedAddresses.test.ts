import { describe, expect, it } from 'vitest';
import { addressesCSV, splitAddresses } from './pastedAddresses';

describe('splitAddresses', () => {
  it('takes one address per line, or separated by commas or semicolons', () => {
    expect(splitAddresses('a@example.com\nb@example.com')).toEqual(['a@example.com', 'b@example.com']);
    expect(splitAddresses('a@example.com, b@example.com;c@example.com')).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com',
    ]);
    expect(splitAddresses(' a@example.com \r\n\r\n ; b@example.com ,')).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
  });

  it('keeps one address as one, and nothing as nothing', () => {
    expect(splitAddresses(' grace@example.com ')).toEqual(['grace@example.com']);
    expect(splitAddresses(' \n , ')).toEqual([]);
  });
});

describe('addressesCSV', () => {
  it('writes the template’s columns, quoting what needs quotes', () => {
    expect(addressesCSV(['a@example.com', 'o"neil@example.com'], 'Team lead')).toBe(
      'email,role\r\na@example.com,Team lead\r\n"o""neil@example.com",Team lead',
    );
  });
});
