import { Button, Card, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSyncSettings } from '../../api/sync';
import { findDirectory, usersKeys } from '../../api/users';
import { Tag } from '../../components/badges';
import { useMailReadiness } from '../../components/mailReady';
import { routeHash } from '../../router';

/** ChecklistStep is one step of setting Roster up. */
export interface ChecklistStep {
  id: 'mail' | 'invite' | 'sync';
  done: boolean;
  /** optional steps are offered, but the card goes once the others are done. */
  optional?: boolean;
}

/**
 * checklistSteps are the steps a new organisation takes: a mail server (so
 * invitations leave Roster), the first invitations (anyone besides the
 * administrator who set Roster up) and, optionally, the organisation's
 * directory server (Roster works without one). Unknown until the answers
 * arrived.
 */
export function checklistSteps(
  mailReady: boolean | undefined,
  entries: number | undefined,
  synced: boolean | undefined,
): ChecklistStep[] | null {
  if (mailReady === undefined || entries === undefined || synced === undefined) return null;
  return [
    { id: 'mail', done: mailReady },
    { id: 'invite', done: entries > 1 },
    { id: 'sync', done: synced, optional: true },
  ];
}

const links: Record<ChecklistStep['id'], string> = {
  mail: routeHash({ page: 'admin', section: 'email' }),
  invite: routeHash({ page: 'admin', section: 'users' }),
  sync: routeHash({ page: 'admin', section: 'sync' }),
};

/** SetupChecklist is the overview's "Getting started" card; it disappears once every step is done. */
export function SetupChecklist() {
  const { t } = useTranslation();
  const mail = useMailReadiness();
  const directory = useQuery({
    queryKey: [...usersKeys.directory, 'count'],
    queryFn: () => findDirectory({ search: '', roleId: '', status: '', sort: 'name', desc: false }, 0, 1),
  });
  const sync = useSyncSettings();
  const steps = checklistSteps(
    mail === 'unknown' ? undefined : mail === 'ready',
    directory.data?.total,
    sync.isError ? false : sync.data?.connected,
  );
  if (!steps || steps.every((s) => s.done || s.optional)) return null;
  const done = steps.filter((s) => s.done).length;
  const texts = {
    mail: { title: t('home.checkMail'), text: t('home.checkMailText'), action: t('home.checkMailAction') },
    invite: {
      title: t('home.checkInvite'),
      text: t('home.checkInviteText'),
      action: t('home.checkInviteAction'),
    },
    sync: { title: t('home.checkSync'), text: t('home.checkSyncText'), action: t('home.checkSyncAction') },
  };
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="setup-checklist">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="setup-checklist">
          {t('home.checklistTitle')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('home.checklistProgress', { done: String(done), total: String(steps.length) })}
        </Text>
      </Group>
      <List spacing="md" listStyleType="none" data-testid="setup-checklist">
        {steps.map((s) => (
          <List.Item
            key={s.id}
            data-step={s.id}
            data-done={s.done || undefined}
            icon={
              <ThemeIcon size={24} radius="xl" variant="light" color={s.done ? 'green' : 'gray'} aria-hidden>
                {s.done ? <IconCircleCheck size={16} /> : <IconCircleDashed size={16} />}
              </ThemeIcon>
            }
            styles={{ itemWrapper: { width: '100%' }, itemLabel: { width: '100%' } }}
          >
            <Group justify="space-between" wrap="nowrap" align="flex-start" gap="md">
              <Stack gap={2}>
                <Text fw={600} size="sm">
                  {texts[s.id].title}
                </Text>
                <Text size="sm" c="dimmed">
                  {texts[s.id].text}
                </Text>
              </Stack>
              {s.done ? (
                <Tag variant="dot" color="green">
                  {t('home.checkDone')}
                </Tag>
              ) : (
                <Button component="a" href={links[s.id]} variant="light" size="xs" style={{ flexShrink: 0 }}>
                  {texts[s.id].action}
                </Button>
              )}
            </Group>
          </List.Item>
        ))}
      </List>
    </Card>
  );
}
