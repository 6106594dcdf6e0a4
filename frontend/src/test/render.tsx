import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { newQueryClient, Providers } from '../Providers';

/** renderWithProviders renders ui inside the window's providers with a fresh query cache. */
export function renderWithProviders(ui: ReactElement) {
  const client = newQueryClient();
  return { client, ...render(<Providers client={client}>{ui}</Providers>) };
}
