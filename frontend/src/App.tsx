import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSystemState } from './api/system';
import { AdminSettingsPage } from './features/admin/AdminSettingsPage';
import { adminSections } from './features/admin/sections';
import { HomePage } from './features/home/HomePage';
import { SetupPage } from './features/setup/SetupPage';
import { Layout } from './features/shell/Layout';
import { useStartScreen } from './features/shell/useStartScreen';
import { initI18n, resolveLanguage, setSystemLocale, useErrorText } from './i18n';
import { useRoute } from './router';

/** App decides between the first-run setup and the window, and keeps the language in step. */
export function App() {
  const { t } = useTranslation();
  const state = useSystemState();
  const [route, navigate] = useRoute();
  const errorText = useErrorText();

  const language = state.data
    ? resolveLanguage(state.data.language, state.data.systemLanguage, navigator.language)
    : undefined;
  const systemLocale = state.data?.systemLocale ?? '';
  useEffect(() => {
    setSystemLocale(systemLocale);
    if (language) initI18n(language);
  }, [language, systemLocale]);
  useStartScreen(Boolean(state.data?.setupComplete), navigate);

  if (state.isPending) {
    return (
      <Center h="100vh">
        <Stack align="center" gap="xs">
          <Loader aria-hidden />
          <Text c="dimmed">{t('app.loading')}</Text>
        </Stack>
      </Center>
    );
  }
  if (state.isError) {
    return (
      <Center h="100vh" p="xl">
        <Alert color="red" title={t('app.loadFailed')} icon={<IconAlertTriangle aria-hidden />} maw={520}>
          <Stack>
            <Text size="sm">{errorText(state.error)}</Text>
            <Button variant="light" color="red" onClick={() => state.refetch()} w="fit-content">
              {t('app.retry')}
            </Button>
          </Stack>
        </Alert>
      </Center>
    );
  }
  if (!state.data.setupComplete) return <SetupPage />;

  const openAdmin = () => navigate({ page: 'admin', section: adminSections[0]?.id ?? '' });
  return (
    <Layout state={state.data} route={route} navigate={navigate}>
      {route.page === 'admin' ? (
        <AdminSettingsPage section={route.section} />
      ) : (
        <HomePage state={state.data} onAdminSettings={openAdmin} />
      )}
    </Layout>
  );
}
