import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Breakable } from '../../components/Breakable';
import { EmailText } from './EmailText';

describe('EmailText', () => {
  it('shows the address unchanged, with break opportunities only at separators', () => {
    const { container } = render(<EmailText address="grace.hopper@navy.mil" />);
    expect(container.textContent).toBe('grace.hopper@navy.mil');
    expect(container.querySelectorAll('wbr')).toHaveLength(3);
    const span = container.querySelector('span');
    expect(span?.style.overflowWrap).toBe('normal');
  });

  it('breaks an address where Breakable does', () => {
    for (const address of [
      'first.last+tag@mail.example-corp.co.uk',
      'quentin.zimmermann.invited299@mail.example.com',
    ]) {
      const email = render(<EmailText address={address} />).container.querySelector('span');
      const cell = render(<Breakable text={address} />).container;
      expect(email?.innerHTML).toBe(cell.innerHTML);
    }
  });
});
