import { DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { cssVariablesResolver, newTheme, variantColorResolver } from './theme';

const theme = mergeMantineTheme(DEFAULT_THEME, newTheme('Close'));

describe('subtle colours', () => {
  it('gives subtle and transparent variants a colour per scheme', () => {
    for (const variant of ['subtle', 'transparent']) {
      expect(variantColorResolver({ color: 'red', theme, variant }).color).toBe('var(--roster-subtle-red)');
      expect(variantColorResolver({ color: theme.primaryColor, theme, variant }).color).toBe(
        'var(--roster-subtle-indigo)',
      );
    }
    const vars = cssVariablesResolver(theme);
    // Dark: shade 4, not Mantine's nearly white shade 0.
    expect(vars.dark['--roster-subtle-indigo']).toBe('var(--mantine-color-indigo-4)');
    expect(vars.dark['--roster-subtle-red']).toBe('var(--mantine-color-red-4)');
    expect(vars.light['--roster-subtle-indigo']).toBe('var(--mantine-color-indigo-light-color)');
  });

  it('leaves other variants and explicit shades to Mantine', () => {
    expect(variantColorResolver({ color: 'indigo', theme, variant: 'filled' }).color).toBe(
      'var(--mantine-color-white)',
    );
    expect(variantColorResolver({ color: 'red.7', theme, variant: 'subtle' }).color).toBe(
      'var(--mantine-color-red-6)',
    );
  });
});
