import { Anchor, Group, Loader, Text } from '@mantine/core';
import { IconAlertTriangle, IconCloudCheck, IconCloudUp } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSyncStatus } from '../../api/sync';
import { useFormat } from '../../components/format';
import { useErrorText } from '../../i18n';
import { routeHash } from '../../router';

/**
 * SyncIndicator says in the sidebar, while connected to a directory server,
 * whether sync runs, how many changes wait, or that it failed; it links to
 * the Sync section and never blocks anything.
 */
export function SyncIndicator() {
  const { t } = useTranslation('sync');
  const { number } = useFormat();
  const errorText = useErrorText();
  const { data: st } = useSyncStatus();
  if (!st?.connected) return null;

  let icon = <IconCloudCheck size={14} aria-hidden />;
  let label = t('indicator.ok');
  let color = 'dimmed';
  let title: string | undefined;
  if (st.running) {
    icon = <Loader size={12} aria-hidden />;
    label = t('indicator.running');
  } else if (st.lastError) {
    icon = <IconAlertTriangle size={14} aria-hidden />;
    label = t('indicator.error');
    color = 'red.7';
    title = errorText(st.lastError);
  } else if (st.pending > 0) {
    icon = <IconCloudUp size={14} aria-hidden />;
    label = t('indicator.pending', { count: st.pending, formatted: number(st.pending) });
    color = 'orange.8';
  }

  return (
    <Anchor
      href={routeHash({ page: 'admin', section: 'sync' })}
      underline="never"
      c={color}
      title={title}
      aria-label={`${t('indicator.label')}: ${label}`}
      data-testid="sync-indicator"
    >
      <Group gap={4} wrap="nowrap" role="status">
        {icon}
        <Text span size="xs">
          {label}
        </Text>
      </Group>
    </Anchor>
  );
}
