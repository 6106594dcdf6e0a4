import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { addressBreakPoints, Breakable, breakPoints } from './Breakable';

describe('addressBreakPoints', () => {
  it('breaks after @ and dots, and before + and hyphens', () => {
    expect(addressBreakPoints('first.last+tag@mail.example-corp.co.uk')).toEqual([
      'first.',
      'last',
      '+tag@',
      'mail.',
      'example',
      '-corp.',
      'co.',
      'uk',
    ]);
    expect(addressBreakPoints('quentin.zimmermann.invited299@mail.example.com')).toEqual([
      'quentin.',
      'zimmermann.',
      'invited299@',
      'mail.',
      'example.',
      'com',
    ]);
  });

  it('never breaks inside a word or a run of hyphens, and keeps every character', () => {
    const address = 'ada_lovelace@xn--exmple-4nf.com';
    expect(addressBreakPoints(address)).toEqual(['ada_lovelace@', 'xn', '--exmple', '-4nf.', 'com']);
    expect(addressBreakPoints(address).join('')).toBe(address);
    expect(addressBreakPoints('averyveryverylongmailbox')).toEqual(['averyveryverylongmailbox']);
  });
});

describe('breakPoints', () => {
  it('uses the address rule for addresses', () => {
    expect(breakPoints('a.b@example.com')).toEqual(addressBreakPoints('a.b@example.com'));
  });

  it('breaks names after spaces and hyphens, and keeps every character', () => {
    const name = 'Anne-Marie de la Cruz';
    expect(breakPoints(name)).toEqual(['Anne-', 'Marie ', 'de ', 'la ', 'Cruz']);
    expect(breakPoints(name).join('')).toBe(name);
  });

  it('keeps a text without break points whole', () => {
    expect(breakPoints('ada')).toEqual(['ada']);
    expect(breakPoints('')).toEqual([]);
  });
});

describe('Breakable', () => {
  it('shows the whole text with line-break opportunities at the separators', () => {
    const { container } = render(<Breakable text="a.b@example.com" />);
    expect(container.textContent).toBe('a.b@example.com');
    expect(container.innerHTML).toBe('a.<wbr>b@<wbr>example.<wbr>com');
  });
});
