import { Alert, Button, DataList, Group, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconMailForward, IconRefresh, IconSend, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useInvitation } from '../../api/invitations';
import { DeliveryBadge, RoleBadge, StatusBadge } from '../../components/badges';
import { useFormat } from '../../components/format';
import { useErrorText } from '../../i18n';
import { useInvitationActions } from './useInvitationActions';

/** InvitationPanel shows one invitation in the details panel, with Resend and Delete. */
export function InvitationPanel({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const inv = useInvitation(id);
  const actions = useInvitationActions({ onDeleted: onDone });

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
          <DataList.ItemLabel>{t('invitations.columns.sentAt')}</DataList.ItemLabel>
          <DataList.ItemValue>{fmt.dateTime(d.sentAt)}</DataList.ItemValue>
        </DataList.Item>
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
            variant="outline"
            color="red"
            leftSection={<IconTrash size={16} stroke={1.7} aria-hidden />}
            onClick={() => actions.askDelete(d)}
          >
            {t('invitations.delete')}
          </Button>
        </Group>
      )}
      {actions.dialog}
    </Stack>
  );
}
