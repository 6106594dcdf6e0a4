import { Alert, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  emailKeys,
  type OutboxProgress,
  onOutboxProgress,
  useEmailSettings,
  useMailQueue,
} from '../../api/email';
import type { ImportSendResult } from '../../api/imports';
import { ReasonCounts } from './PreviewSummary';

/** SendProgress says what was sent and skipped, and follows the emails going out. */
export function SendProgress({ result, onDone }: { result: ImportSendResult; onDone: () => void }) {
  const { t } = useTranslation('imports');
  const qc = useQueryClient();
  const email = useEmailSettings();
  const queue = useMailQueue();
  const [burst, setBurst] = useState<OutboxProgress | null>(null);
  useEffect(
    () =>
      onOutboxProgress((p) => {
        setBurst(p);
        void qc.invalidateQueries({ queryKey: emailKeys.queue });
      }),
    [qc],
  );
  const waiting = (queue.data?.queued ?? 0) + (queue.data?.sending ?? 0);
  const total = burst ? burst.sent + burst.failed + burst.queued : 0;
  return (
    <Stack gap="sm">
      <Alert color="teal" icon={<IconCheck aria-hidden />} title={t('result.title')}>
        <Text size="sm">{t('result.sent', { count: result.sent })}</Text>
      </Alert>
      {result.skipped > 0 && (
        <div>
          <Text size="sm" fw={600}>
            {t('result.skipped', { count: result.skipped })}
          </Text>
          <ReasonCounts summary={result.summary} />
        </div>
      )}
      {email.data && !email.data.configured ? (
        <Text size="sm" c="orange.9">
          {t('result.notConfigured')}
        </Text>
      ) : (
        queue.data && (
          <Stack gap={4}>
            <Group justify="space-between">
              <Text size="sm" id="delivery-label">
                {t('result.delivery')}
              </Text>
              <Text size="sm" c="dimmed">
                {waiting > 0
                  ? t('result.deliveryProgress', { sent: burst?.sent ?? 0, queued: waiting })
                  : t('result.deliveryDone')}
              </Text>
            </Group>
            <Progress
              value={waiting === 0 ? 100 : total > 0 ? (100 * (total - waiting)) / total : 0}
              animated={waiting > 0}
              aria-labelledby="delivery-label"
            />
            {(burst?.failed ?? 0) > 0 && (
              <Text size="sm" c="red.9">
                {t('result.deliveryFailed', { count: burst?.failed ?? 0 })}
              </Text>
            )}
          </Stack>
        )
      )}
      <Group justify="flex-end">
        <Button onClick={onDone}>{t('actions.done')}</Button>
      </Group>
    </Stack>
  );
}
