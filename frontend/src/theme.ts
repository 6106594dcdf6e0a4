import {
  type CSSVariablesResolver,
  createTheme,
  Drawer,
  defaultVariantColorsResolver,
  Input,
  Modal,
  Notification,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';

/** newTheme is Roster's theme; closeLabel names the close buttons of dialogs and notifications. */
export function newTheme(closeLabel: string) {
  return createTheme({
    primaryColor: 'indigo',
    // Filled and outline colours use shade 8: white on shade 6 (red, indigo)
    // is below the 4.5:1 of WCAG AA, and red text on white needs shade 8 too.
    primaryShade: { light: 8, dark: 8 },
    defaultRadius: 'md',
    fontFamily:
      'Inter, system-ui, -apple-system, "Segoe UI", Roboto, Cantarell, "Noto Sans", "DejaVu Sans", sans-serif',
    headings: { fontWeight: '650' },
    cursorType: 'pointer',
    variantColorResolver,
    components: {
      // Help text under the field, so fields side by side stay aligned.
      InputWrapper: Input.Wrapper.extend({
        defaultProps: { inputWrapperOrder: ['label', 'input', 'description', 'error'] },
      }),
      Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } }),
      Modal: Modal.extend({
        defaultProps: { closeButtonProps: { 'aria-label': closeLabel } },
        styles: { title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } },
      }),
      Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } }),
    },
  });
}

/**
 * cssVariablesResolver adjusts Mantine's dimmed and error text and the hover of light
 * primary surfaces just enough to meet WCAG AA contrast (4.5:1) on the
 * window's backgrounds and table headers, in both schemes (axe checks it).
 */
export const cssVariablesResolver: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#666d75',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-indigo-light-hover': '#cdd6ff',
    ...subtleColors(theme.colors, 'light'),
  },
  dark: {
    '--mantine-color-dimmed': '#a0a0a0',
    '--mantine-color-error': 'var(--mantine-color-red-4)',
    ...subtleColors(theme.colors, 'dark'),
  },
});

/**
 * subtleColors is the text colour of subtle and transparent buttons and
 * action icons for every theme colour. Mantine gives them the "light" text
 * colour, which in the dark scheme is shade 0: nearly white, so a subtle
 * "View" or a red "Delete" lost its colour. In the dark scheme they take
 * shade 4 (Mantine's dark text colour, readable on the dark surfaces); in
 * the light scheme they keep Mantine's colour.
 */
export function subtleColors(
  colors: Record<string, unknown>,
  scheme: 'light' | 'dark',
): Record<string, string> {
  return Object.fromEntries(
    Object.keys(colors).map((name) => [
      `--roster-subtle-${name}`,
      scheme === 'dark' ? `var(--mantine-color-${name}-4)` : `var(--mantine-color-${name}-light-color)`,
    ]),
  );
}

/** variantColorResolver is Mantine's, with the subtle colours of subtleColors. */
export const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== 'subtle' && input.variant !== 'transparent') return colors;
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || parsed.shade !== undefined) return colors;
  return { ...colors, color: `var(--roster-subtle-${parsed.color})` };
};
