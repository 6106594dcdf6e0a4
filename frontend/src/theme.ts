import { type CSSVariablesResolver, createTheme, Drawer, Input, Modal, Notification } from '@mantine/core';

/** newTheme is Roster's theme; closeLabel names the close buttons of dialogs and notifications. */
export function newTheme(closeLabel: string) {
  return createTheme({
    primaryColor: 'indigo',
    // White on indigo-6 is 4.3:1; indigo-7 reaches WCAG AA's 4.5:1 (5.0:1), indigo-8 in the dark scheme.
    primaryShade: { light: 7, dark: 8 },
    defaultRadius: 'md',
    fontFamily:
      'Inter, system-ui, -apple-system, "Segoe UI", Roboto, Cantarell, "Noto Sans", "DejaVu Sans", sans-serif',
    headings: { fontWeight: '650' },
    cursorType: 'pointer',
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
 * cssVariables darkens the "dimmed" text of the light scheme: Mantine's gray-6
 * reaches only 3.3:1 on white, below the 4.5:1 that WCAG AA asks of text.
 */
export const cssVariables: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: { '--mantine-color-dimmed': theme.colors.gray[7] },
  dark: { '--mantine-color-dimmed': theme.colors.dark[1] },
});
