import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n';
import { renderScreen } from '../test/renderScreen';
import { DateField, datePattern, formatDay, parseDay } from './DateField';

describe('datePattern', () => {
  it('follows the locale: day first in British English and German, month first in US English', () => {
    expect(datePattern('en-GB')).toEqual({ order: ['day', 'month', 'year'], separator: '/' });
    expect(datePattern('de-DE')).toEqual({ order: ['day', 'month', 'year'], separator: '.' });
    expect(datePattern('en-US')).toEqual({ order: ['month', 'day', 'year'], separator: '/' });
  });
});

describe('formatDay and parseDay', () => {
  const gb = datePattern('en-GB');
  const de = datePattern('de-DE');
  const us = datePattern('en-US');

  it('write an ISO day as the locale does', () => {
    expect(formatDay('2026-03-02', gb)).toBe('02/03/2026');
    expect(formatDay('2026-03-02', de)).toBe('02.03.2026');
    expect(formatDay('2026-03-02', us)).toBe('03/02/2026');
    expect(formatDay('', gb)).toBe('');
  });

  it('read a typed day in the locale’s order, with any separator and short years', () => {
    expect(parseDay('2/3/2026', gb)).toBe('2026-03-02');
    expect(parseDay('02.03.2026', de)).toBe('2026-03-02');
    expect(parseDay('2.3.26', de)).toBe('2026-03-02');
    expect(parseDay('3/2/2026', us)).toBe('2026-03-02');
  });

  it('refuse what is not a real day', () => {
    expect(parseDay('31/02/2026', gb)).toBeNull();
    expect(parseDay('13/13/2026', gb)).toBeNull();
    expect(parseDay('2026', gb)).toBeNull();
    expect(parseDay('', gb)).toBeNull();
    expect(parseDay('2/3/202', gb)).toBeNull();
  });
});

function Field() {
  const [value, setValue] = useState('');
  return (
    <>
      <DateField aria-label="From" value={value} onChange={setValue} />
      <output data-testid="value">{value}</output>
    </>
  );
}

describe('DateField', () => {
  it('takes a day as the window’s language writes it', async () => {
    await i18n.changeLanguage('de');
    try {
      const user = userEvent.setup();
      renderScreen(<Field />);
      const input = screen.getByRole('textbox', { name: 'From' });
      expect(input).toHaveAttribute('placeholder', 'TT.MM.JJJJ');
      await user.type(input, '28.11.2026');
      expect(screen.getByTestId('value')).toHaveTextContent('2026-11-28');
      await user.clear(input);
      await user.type(input, '31.02.2026');
      await user.tab();
      expect(await screen.findByText('Geben Sie ein Datum wie 28.11.2026 ein')).toBeInTheDocument();
    } finally {
      await i18n.changeLanguage('en');
    }
  });
});
