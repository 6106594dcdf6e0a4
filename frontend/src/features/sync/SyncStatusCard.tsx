import { Alert, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { toAppError } from '../../api/client';
import { useSyncNow, useSyncStatus } from '../../api/sync';
import { useFormat } from '../../components/format';
import { notifyError } from '../../components/notify';
import { useErrorText } from '../../i18n';
import { relativeTime, useNow } from './relativeTime';

/**
 * SyncStatusCard shows where sync stands while connected: when it last
 * synced, how many changes wait, the last error, and the "Sync now" button.
 * Syncing never blocks the window.
 */
export function SyncStatusCard() {
  const { t, i18n } = useTranslation('sync');
  const errorText = useErrorText();
  const { dateTime, number } = useFormat();
  const status = useSyncStatus();
  const syncNow = useSyncNow();
  const now = useNow();
  const st = status.data;
  if (!st?.connected) return null;
  const running = st.running || syncNow.isPending;

  const onSyncNow = () =>
    syncNow.mutate(undefined, {
      // The error also stays in the card, from the status.
      onError: (err) => notifyError(t('status.failedTitle'), errorText(err)),
    });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="sync-status-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={2} size="h4" id="sync-status-title">
              {t('status.title')}
            </Title>
            {running && (
              <Group gap={6} role="status">
                <Loader size="xs" aria-hidden />
                <Text size="sm" c="dimmed">
                  {t('status.running')}
                </Text>
              </Group>
            )}
          </Group>
          <Button
            variant="light"
            leftSection={<IconRefresh size={16} aria-hidden />}
            loading={syncNow.isPending}
            onClick={onSyncNow}
          >
            {t('status.syncNow')}
          </Button>
        </Group>
        <Text size="sm">
          {st.lastSyncAt ? (
            <span title={dateTime(st.lastSyncAt)}>
              {t('status.lastSynced', { when: relativeTime(st.lastSyncAt, now, i18n.language) })}
            </span>
          ) : (
            t('status.notYet')
          )}
        </Text>
        <Text size="sm" c={st.pending > 0 ? 'orange.8' : 'dimmed'}>
          {st.pending > 0
            ? t('status.pending', { count: st.pending, formatted: number(st.pending) })
            : t('status.nothingPending')}
        </Text>
        {st.conflicts > 0 && (
          <Text size="sm" c="red.8">
            {t('status.conflicts', { count: st.conflicts, formatted: number(st.conflicts) })}
          </Text>
        )}
        {st.lastError && (
          <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('status.failedTitle')}>
            <Text size="sm">{errorText(toAppError(st.lastError))}</Text>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
