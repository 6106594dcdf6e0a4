import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { breakPoints, EmailText } from './EmailText';

describe('breakPoints', () => {
  it('splits after @ and before separators', () => {
    expect(breakPoints('first.last+tag@mail.example-corp.co.uk')).toEqual([
      'first',
      '.last',
      '+tag@',
      'mail',
      '.example',
      '-corp',
      '.co',
      '.uk',
    ]);
  });

  it('keeps a word without separators whole', () => {
    expect(breakPoints('ada@xn--exmple-4nf.com')).toEqual(['ada@', 'xn', '--exmple', '-4nf', '.com']);
    expect(breakPoints('averyveryverylongmailbox')).toEqual(['averyveryverylongmailbox']);
  });
});

describe('EmailText', () => {
  it('shows the address unchanged, with break opportunities only at separators', () => {
    const { container } = render(<EmailText address="grace.hopper@navy.mil" />);
    expect(container.textContent).toBe('grace.hopper@navy.mil');
    expect(container.querySelectorAll('wbr')).toHaveLength(3);
    const span = container.querySelector('span');
    expect(span?.style.overflowWrap).toBe('normal');
  });
});
