import {
  Alert,
  Button,
  Group,
  Paper,
  PasswordInput,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconKey, IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AppError, toAppError } from '../../api/client';
import { keyringProblemKeys } from '../../api/email';
import { type SyncSettings, useConnectSync, useSyncSettings } from '../../api/sync';
import { notifySuccess } from '../../components/notify';
import { useErrorText } from '../../i18n';
import { ConflictsLink } from '../conflicts/ConflictsLink';
import { SyncConnection } from './SyncConnection';
import { SyncStatusCard } from './SyncStatusCard';

type FormValues = { url: string; token: string };

/** SyncSettingsPage is Admin Settings → Sync: the connection to the directory server. */
export function SyncSettingsPage() {
  const { t } = useTranslation('sync');
  const settings = useSyncSettings();
  return (
    <Stack p="xl" gap="lg" maw={960}>
      <div>
        <Title order={1} size="h2">
          {t('title')}
        </Title>
        <Text c="dimmed" mt={4}>
          {t('intro')}
        </Text>
      </div>
      {settings.data ? (
        <>
          {settings.data.connected && <SyncStatusCard />}
          {settings.data.connected && <SyncConnection settings={settings.data} />}
          {settings.data.connected && <ConflictsLink />}
          <ConnectForm settings={settings.data} />
        </>
      ) : (
        <Skeleton height={320} radius="md" aria-hidden />
      )}
    </Stack>
  );
}

/**
 * ConnectForm takes the server's address and an API token and connects. An
 * error about the address or the token appears under its field, a keyring
 * problem with the offer to keep the token for this session only, any other
 * error (the server is unreachable, manages another organisation) as the
 * form's alert.
 */
function ConnectForm({ settings }: { settings: SyncSettings }) {
  const { t } = useTranslation('sync');
  const errorText = useErrorText();
  const connect = useConnectSync();
  const [keyringError, setKeyringError] = useState<AppError | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: { url: settings.url, token: '' },
  });

  const submit = (values: FormValues, sessionOnly = false) => {
    setFailure(null);
    connect.mutate(
      { url: values.url, token: values.token, sessionOnly },
      {
        onSuccess: (saved) => {
          setKeyringError(null);
          form.setValues({ url: saved.url, token: '' });
          form.resetDirty();
          notifySuccess(
            t(saved.tokenStore === 'session' ? 'form.connectedSession' : 'form.connected', {
              server: saved.url,
            }),
          );
        },
        onError: (err) => {
          const e = toAppError(err);
          if (keyringProblemKeys.some((k) => k === e.key)) {
            setKeyringError(e);
          } else if (e.field === 'url' || e.field === 'token') {
            form.setFieldError(e.field, errorText(e));
          } else {
            setFailure(e);
          }
        },
      },
    );
  };

  const problem = keyringError ?? (settings.keyringProblem ? toAppError(settings.keyringProblem) : null);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="sync-connect-title">
      <form onSubmit={form.onSubmit((v) => submit(v))} noValidate>
        <Stack gap="md">
          <div>
            <Title order={2} size="h4" id="sync-connect-title">
              {settings.connected ? t('form.titleAgain') : t('form.title')}
            </Title>
            {settings.connected && (
              <Text size="sm" c="dimmed" mt={4}>
                {t('form.introAgain')}
              </Text>
            )}
          </div>
          <TextInput
            label={t('form.url')}
            placeholder={t('form.urlPlaceholder')}
            description={t('form.urlHelp')}
            required
            autoComplete="url"
            {...form.getInputProps('url')}
          />
          <PasswordInput
            label={t('form.token')}
            description={t('form.tokenHelp')}
            required
            autoComplete="off"
            leftSection={<IconKey size={16} aria-hidden />}
            {...form.getInputProps('token')}
          />
          {problem && (
            <Alert
              color="orange"
              icon={<IconAlertTriangle aria-hidden />}
              title={t('keyring.title')}
              role="alert"
            >
              <Stack gap="xs">
                <Text size="sm">{errorText(problem)}</Text>
                <Text size="sm">{t('keyring.sessionExplain')}</Text>
                <Button
                  variant="light"
                  color="orange"
                  w="fit-content"
                  loading={connect.isPending}
                  onClick={() => submit(form.getValues(), true)}
                >
                  {t('keyring.sessionOnly')}
                </Button>
              </Stack>
            </Alert>
          )}
          {failure && (
            <Alert
              color="red"
              icon={<IconAlertTriangle aria-hidden />}
              title={t('form.failedTitle')}
              role="alert"
            >
              <Text size="sm">{errorText(failure)}</Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button
              type="submit"
              loading={connect.isPending}
              leftSection={<IconPlugConnected size={16} aria-hidden />}
            >
              {t('form.connect')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
