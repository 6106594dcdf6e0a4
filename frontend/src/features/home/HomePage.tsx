import { Button, Card, Code, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconBuilding, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { State } from '../../api/system';
import { formatLocale } from '../../i18n';
import { SetupChecklist } from './SetupChecklist';

interface HomePageProps {
  state: State;
  onAdminSettings: () => void;
}

/** HomePage is the overview Roster opens on. */
export function HomePage({ state, onAdminSettings }: HomePageProps) {
  const { t, i18n } = useTranslation();
  const since = state.organisation?.createdAt
    ? new Intl.DateTimeFormat(formatLocale(i18n.language), { dateStyle: 'long' }).format(
        new Date(state.organisation.createdAt),
      )
    : '';

  return (
    <Stack p="xl" gap="lg" maw={960}>
      <div>
        <Title order={1} size="h2">
          {t('home.welcome', { name: state.admin?.name ?? '' })}
        </Title>
        <Text c="dimmed">{t('home.title')}</Text>
      </div>
      <Card withBorder padding="lg">
        <Group wrap="nowrap" align="flex-start">
          <ThemeIcon size={40} variant="light" aria-hidden>
            <IconBuilding size={22} />
          </ThemeIcon>
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              {t('home.organisation')}
            </Text>
            <Title order={2} size="h3">
              {state.organisation?.name}
            </Title>
            {since && (
              <Text size="sm" c="dimmed">
                {t('home.since', { date: since })}
              </Text>
            )}
          </div>
        </Group>
      </Card>
      <SetupChecklist />
      <Card withBorder padding="lg">
        <Group wrap="nowrap" align="flex-start" justify="space-between">
          <Group wrap="nowrap" align="flex-start">
            <ThemeIcon size={40} variant="light" aria-hidden>
              <IconUsers size={22} />
            </ThemeIcon>
            <div>
              <Title order={2} size="h4">
                {t('home.manageTitle')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('home.manageText')}
              </Text>
            </div>
          </Group>
          <Button variant="light" onClick={onAdminSettings}>
            {t('home.openAdmin')}
          </Button>
        </Group>
      </Card>
      <Text size="xs" c="dimmed">
        {t('home.database')}: <Code>{state.databasePath}</Code> ·{' '}
        {t('home.version', { version: state.version })}
      </Text>
    </Stack>
  );
}
