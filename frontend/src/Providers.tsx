import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { InviteDialogsProvider } from './features/users/InviteDialogs';
import { i18n, initI18n } from './i18n';
import { cssVariablesResolver, newTheme } from './theme';

initI18n();

export function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // The backend is local: a failure is a real answer, not a flaky network.
      queries: { retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** Providers wraps the window in Mantine, notifications, modals, TanStack Query and i18n. */
export function Providers({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const [queryClient] = useState(() => client ?? newQueryClient());
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <ThemeProvider>{children}</ThemeProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}

/** ThemeProvider gives Mantine a theme in the window's language. */
function ThemeProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const closeLabel = t('app.close');
  const theme = useMemo(() => newTheme(closeLabel), [closeLabel]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={cssVariablesResolver}>
      <ModalsProvider>
        {/* Bottom left: dialogs are centred and drawers open on the right, so a
            notification never covers their buttons or the form being edited. */}
        <Notifications position="bottom-left" containerWidth={380} />
        <InviteDialogsProvider>{children}</InviteDialogsProvider>
      </ModalsProvider>
    </MantineProvider>
  );
}
