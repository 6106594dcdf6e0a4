import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Breakable, breakPoints } from './Breakable';

describe('breakPoints', () => {
  it('breaks an address after its @ and before the dots of its local part, never in its domain', () => {
    expect(breakPoints('quentin.zimmermann.invited299@mail.example.com')).toEqual([
      'quentin',
      '.zimmermann',
      '.invited299@',
      'mail.example.com',
    ]);
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
  it('shows the whole text with a line-break opportunity after the @', () => {
    const { container } = render(<Breakable text="a.b@example.com" />);
    expect(container.textContent).toBe('a.b@example.com');
    expect(container.innerHTML).toBe('a<wbr>.b@<wbr>example.com');
  });
});
