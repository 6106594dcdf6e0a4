import { Alert, Button, DataList, Divider, Group, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import {
  IconAlertTriangle,
  IconClipboardCopy,
  IconInfoCircle,
  IconMailForward,
  IconRefresh,
  IconSend,
  IconTrash,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { type Invitation, useInvitation } from '../../api/invitations';
import { DeliveryBadge, RoleBadge, StatusBadge } from '../../components/badges';
import { type Formatters, useFormat } from '../../components/format';
import { useMailReadiness } from '../../components/mailReady';
import { useRoleName } from '../../components/roleName';
import { useErrorText } from '../../i18n';
import { EntryHistory } from '../users/EntryHistory';
import { useInvitationActions } from './useInvitationActions';

/**
 * InvitationPanel shows one invitation in the details panel, with Resend,
 * Copy a new invitation link, Delete, and its history.
 */
export function InvitationPanel({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const inv = useInvitation(id);
  const actions = useInvitationActions({ onDeleted: onDone });
  const noMail = useMailReadiness() === 'notSetUp';
  const roleName = useRoleName();

  if (inv.isPending) return <Skeleton h={240} />;
  if (inv.isError) {
    return (
      <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('details.loadFailed')}>
        {errorText(inv.error)}
      </Alert>
    );
  }
  const d = inv.data;
  const open = d.state === 'pending' || d.state === 'expired';
  return (
    <Stack gap="lg">
      <Group gap="md" wrap="nowrap">
        <ThemeIcon size={48} radius="xl" variant="light" aria-hidden>
          <IconMailForward size={24} stroke={1.6} />
        </ThemeIcon>
        <div style={{ minWidth: 0 }}>
          <Text fw={600} size="lg" style={{ wordBreak: 'break-all' }}>
            {d.email}
          </Text>
          <Text size="sm" c="dimmed">
            {t('details.invitationOf', { name: d.invitedByName })}
          </Text>
        </div>
      </Group>
      <DataList labelWidth={140}>
        <DataList.Item>
          <DataList.ItemLabel>{t('details.status')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <StatusBadge status={d.state} />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('details.role')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <RoleBadge roleId={d.roleId} name={d.roleName} />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('invitations.columns.invitedAt')}</DataList.ItemLabel>
          <DataList.ItemValue>{fmt.dateTime(d.sentAt)}</DataList.ItemValue>
        </DataList.Item>
        {d.deliveredAt && (
          <DataList.Item>
            <DataList.ItemLabel>{t('invitations.emailSentAt')}</DataList.ItemLabel>
            <DataList.ItemValue>{fmt.dateTime(d.deliveredAt)}</DataList.ItemValue>
          </DataList.Item>
        )}
        <DataList.Item>
          <DataList.ItemLabel>{t('invitations.columns.expiresAt')}</DataList.ItemLabel>
          <DataList.ItemValue>{fmt.dateTime(d.expiresAt)}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('invitations.columns.invitedBy')}</DataList.ItemLabel>
          <DataList.ItemValue>{d.invitedByName}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('invitations.columns.delivery')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <Stack gap={4} align="flex-start">
              <DeliveryBadge delivery={d.delivery} />
              {d.deliveryError && (
                <Text size="xs" c="var(--mantine-color-error)" style={{ wordBreak: 'break-word' }}>
                  {t('invitations.serverAnswer', { error: d.deliveryError })}
                </Text>
              )}
            </Stack>
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
      {d.state === 'expired' && (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />}>
          {t('invitations.expiredHint')}
        </Alert>
      )}
      {open && (
        <Alert
          color="blue"
          variant="light"
          icon={<IconInfoCircle aria-hidden />}
          title={t('invitations.nextTitle', { email: d.email })}
          styles={{ title: { wordBreak: 'break-word' } }}
        >
          <Stack gap={6}>
            <Text size="sm">{nextStep(d, noMail, fmt, t)}</Text>
            <Text size="sm">{t('invitations.nextRegister', { role: roleName(d.roleId, d.roleName) })}</Text>
          </Stack>
        </Alert>
      )}
      {open && (
        <Group gap="sm">
          {d.delivery === 'failed' && (
            <Button
              variant="light"
              leftSection={<IconSend size={16} stroke={1.7} aria-hidden />}
              loading={actions.retryingOutboxId === d.outboxId}
              onClick={() => actions.retry(d)}
            >
              {t('invitations.retry')}
            </Button>
          )}
          <Button
            variant="light"
            leftSection={<IconRefresh size={16} stroke={1.7} aria-hidden />}
            loading={actions.resendingId === d.id}
            onClick={() => actions.resend(d)}
          >
            {t('invitations.resend')}
          </Button>
          <Button
            variant="light"
            leftSection={<IconClipboardCopy size={16} stroke={1.7} aria-hidden />}
            loading={actions.copyingId === d.id}
            onClick={() => actions.askCopyLink(d)}
          >
            {t('invitations.copyLink')}
          </Button>
          <Button
            variant="outline"
            color="red"
            leftSection={<IconTrash size={16} stroke={1.7} aria-hidden />}
            onClick={() => actions.askDelete(d)}
          >
            {t('invitations.delete')}
          </Button>
        </Group>
      )}
      <Divider />
      <EntryHistory subject={d.id} label={d.email} />
      {actions.dialog}
    </Stack>
  );
}

/**
 * nextStep says where an open invitation's email stands and until when its
 * link works: sent (and when), waiting for a mail server, queued, failed,
 * none (its link was made to be copied), or expired.
 */
export function nextStep(
  d: Pick<Invitation, 'state' | 'delivery' | 'deliveredAt' | 'expiresAt' | 'sentAt'>,
  noMail: boolean,
  fmt: Pick<Formatters, 'dateTime'>,
  t: (key: string, args?: Record<string, string>) => string,
): string {
  const expires = fmt.dateTime(d.expiresAt);
  if (d.state === 'expired') return t('invitations.nextExpired', { expires });
  // No email at all: the current link was made to be copied (Copy a new invitation link).
  if (!d.delivery) return t('invitations.nextCopied', { date: fmt.dateTime(d.sentAt), expires });
  if (d.delivery === 'sent') return t('invitations.nextSent', { date: fmt.dateTime(d.deliveredAt), expires });
  if (d.delivery === 'failed') return t('invitations.nextFailed', { expires });
  if (noMail) return t('invitations.nextNoMail', { expires });
  return t('invitations.nextQueued', { expires });
}
