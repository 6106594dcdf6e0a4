import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type SyncSettings, type TokenStore, useDisconnectSync } from '../../api/sync';
import { Tag } from '../../components/badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useFormat } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { useErrorText } from '../../i18n';
import classes from './Sync.module.css';

const tokenLabel: Record<TokenStore, string> = {
  keyring: 'connection.tokenKeyring',
  session: 'connection.tokenSession',
  '': 'connection.tokenNone',
};

/**
 * SyncConnection shows the server this computer is connected to, as it
 * described itself, and disconnects after a confirmation.
 */
export function SyncConnection({ settings }: { settings: SyncSettings }) {
  const { t } = useTranslation('sync');
  const { t: tc } = useTranslation();
  const errorText = useErrorText();
  const { dateTime } = useFormat();
  const disconnect = useDisconnectSync();
  const [confirming, setConfirming] = useState(false);
  const store = (settings.tokenStore ?? '') as TokenStore;

  const onDisconnect = () =>
    disconnect.mutate(undefined, {
      onSuccess: () => {
        setConfirming(false);
        notifySuccess(t('disconnect.done'));
      },
      onError: (err) => {
        setConfirming(false);
        notifyError(tc('errors.title'), errorText(err));
      },
    });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="sync-connection-title">
      <Stack gap="md">
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={2} size="h4" id="sync-connection-title">
              {t('connection.title')}
            </Title>
            <Tag variant="dot" color="green">
              {settings.organisationName}
            </Tag>
          </Group>
          <Button
            variant="default"
            color="red"
            leftSection={<IconPlugConnectedX size={16} aria-hidden />}
            onClick={() => setConfirming(true)}
          >
            {t('disconnect.button')}
          </Button>
        </Group>
        <dl className={classes.facts}>
          <dt>{t('connection.server')}</dt>
          <dd>{settings.url}</dd>
          <dt>{t('connection.organisation')}</dt>
          <dd>{settings.organisationName}</dd>
          <dt>{t('connection.administrator')}</dt>
          <dd>
            {settings.administratorName} ({settings.administratorEmail})
          </dd>
          <dt>{t('connection.version')}</dt>
          <dd>{settings.serverVersion}</dd>
          <dt>{t('connection.since')}</dt>
          <dd>{dateTime(settings.connectedAt)}</dd>
          <dt>{t('connection.client')}</dt>
          <dd>{settings.clientName}</dd>
          <dt>{t('connection.token')}</dt>
          <dd>
            <Text span size="sm" c={store === 'keyring' ? undefined : 'orange.8'}>
              {t(tokenLabel[store] ?? tokenLabel[''])}
            </Text>
          </dd>
        </dl>
      </Stack>
      <ConfirmDialog
        opened={confirming}
        title={t('disconnect.title', { server: settings.url })}
        confirmLabel={t('disconnect.confirm')}
        destructive
        loading={disconnect.isPending}
        onConfirm={onDisconnect}
        onCancel={() => setConfirming(false)}
      >
        {t('disconnect.body')}
      </ConfirmDialog>
    </Paper>
  );
}
