import { Box, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { adminSections, adminSubsections } from './sections';

/** AdminSettingsPage shows the chosen section of Admin Settings. */
export function AdminSettingsPage({ section }: { section: string }) {
  const { t } = useTranslation();
  const current =
    adminSubsections.find((s) => s.id === section) ??
    adminSections.find((s) => s.id === section) ??
    adminSections[0];
  if (current) return <current.Component />;
  return (
    <Box p="xl">
      <Title order={1} size="h2">
        {t('admin.title')}
      </Title>
      <Text c="dimmed" mt="xs">
        {t('admin.sections')}
      </Text>
    </Box>
  );
}
