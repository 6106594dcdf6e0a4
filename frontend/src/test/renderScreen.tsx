import { MantineProvider } from '@mantine/core';
import type { ReactElement } from 'react';
import { newTheme } from '../theme';
import { renderWithProviders } from './render';

/**
 * renderScreen renders an Admin Settings screen inside the window's providers,
 * with Mantine's test environment (no transitions, no portals), so menus,
 * selects and dialogs open at once in happy-dom.
 */
export function renderScreen(ui: ReactElement) {
  return renderWithProviders(
    <MantineProvider theme={newTheme('Close')} env="test">
      {ui}
    </MantineProvider>,
  );
}
