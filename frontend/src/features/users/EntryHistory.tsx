import { Alert, Anchor, Group, List, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconHistory } from '@tabler/icons-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuditEntries } from '../../api/audit';
import { useFormat } from '../../components/format';
import { useErrorText } from '../../i18n';
import { screenHash } from '../../router';
import { useActionText } from '../audit/auditText';

/** historyLimit is how many of the newest entries the details show; the Audit log has the rest. */
export const historyLimit = 5;

/**
 * auditHash is the Audit log filtered to one user's or invitation's entries,
 * with the label its filter shows.
 */
export function auditHash(subject: string, label: string): string {
  return screenHash({ page: 'admin', section: 'audit' }, { subject, label });
}

/**
 * EntryHistory is the History section of a user's or an invitation's
 * details: the newest audit entries they acted in or that are about them,
 * named as the Audit log names them, and a link to all of them there.
 */
export function EntryHistory({ subject, label }: { subject: string; label: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const actionText = useActionText();
  const headingId = useId();
  const list = useAuditEntries({ search: '', action: '', from: '', to: '', subject }, 0, historyLimit);
  const entries = list.data?.entries ?? [];
  const total = list.data?.total ?? 0;
  return (
    <Stack gap="xs">
      <Group gap={6}>
        <IconHistory size={18} stroke={1.7} aria-hidden />
        <Title order={3} size="h5" id={headingId}>
          {t('details.history')}
        </Title>
      </Group>
      {list.isPending && <Skeleton h={96} />}
      {list.isError && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />}>
          {errorText(list.error)}
        </Alert>
      )}
      {list.data && total === 0 && (
        <Text size="sm" c="dimmed">
          {t('details.historyEmpty')}
        </Text>
      )}
      {entries.length > 0 && (
        <List
          spacing={6}
          listStyleType="none"
          aria-label={t('details.historyLabel', { name: label })}
          data-testid="entry-history"
        >
          {entries.map((e) => (
            <List.Item key={e.id} data-action={e.action}>
              <Text size="sm" fw={500}>
                {actionText(e.action)}
              </Text>
              <Text size="xs" c="dimmed">
                {fmt.dateTime(e.at)} · {e.actorName || t('audit.system')}
                {e.actorClient && ` · ${t('audit.via', { client: e.actorClient })}`}
              </Text>
            </List.Item>
          ))}
        </List>
      )}
      {total > 0 && (
        <Group gap="xs" justify="space-between" wrap="wrap">
          {total > entries.length && (
            <Text size="xs" c="dimmed">
              {t('details.historyMore', { shown: fmt.number(entries.length), total: fmt.number(total) })}
            </Text>
          )}
          <Anchor href={auditHash(subject, label)} size="sm">
            {t('details.historyAll')}
          </Anchor>
        </Group>
      )}
    </Stack>
  );
}
