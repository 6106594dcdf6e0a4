import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconKey, IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AppError, toAppError } from '../../api/client';
import { keyringProblemKeys } from '../../api/email';
import { useJoinSync } from '../../api/sync';
import { notifySuccess } from '../../components/notify';
import { useErrorText } from '../../i18n';
import { routeHash } from '../../router';

type FormValues = { url: string; token: string };

/**
 * JoinForm connects this Roster, not yet set up, to the organisation's
 * directory server and copies the organisation from there; the window then
 * opens on Users. An error about the address or the token appears under its
 * field, a keyring problem with the offer to keep the token for this session
 * only, any other error as the form's alert; a failed join can be tried again.
 */
export function JoinForm() {
  const { t } = useTranslation('sync');
  const errorText = useErrorText();
  const join = useJoinSync();
  const [keyringError, setKeyringError] = useState<AppError | null>(null);
  const [failure, setFailure] = useState<AppError | null>(null);
  const form = useForm<FormValues>({ mode: 'controlled', initialValues: { url: '', token: '' } });

  const submit = (values: FormValues, sessionOnly = false) => {
    setFailure(null);
    join.mutate(
      { url: values.url, token: values.token, sessionOnly },
      {
        onSuccess: (joined) => {
          window.location.hash = routeHash({ page: 'admin', section: 'users' });
          notifySuccess(
            t('join.done', { organisation: joined.organisationName, name: joined.administratorName }),
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

  return (
    <form onSubmit={form.onSubmit((v) => submit(v))} noValidate aria-label={t('join.connect')}>
      <Stack gap="md">
        <Text c="dimmed">{t('join.intro')}</Text>
        <TextInput
          label={t('form.url')}
          placeholder={t('form.urlPlaceholder')}
          description={t('form.urlHelp')}
          required
          data-autofocus
          autoFocus
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
        {keyringError && (
          <Alert
            color="orange"
            icon={<IconAlertTriangle aria-hidden />}
            title={t('keyring.title')}
            role="alert"
          >
            <Stack gap="xs">
              <Text size="sm">{errorText(keyringError)}</Text>
              <Text size="sm">{t('keyring.sessionExplain')}</Text>
              <Button
                variant="light"
                color="orange"
                w="fit-content"
                loading={join.isPending}
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
            title={t('join.failedTitle')}
            role="alert"
          >
            <Text size="sm">{errorText(failure)}</Text>
          </Alert>
        )}
        {join.isPending && (
          <Text size="sm" c="dimmed" role="status">
            {t('join.running')}
          </Text>
        )}
        <Button
          type="submit"
          loading={join.isPending}
          mt="xs"
          leftSection={<IconPlugConnected size={16} aria-hidden />}
        >
          {t('join.submit')}
        </Button>
      </Stack>
    </form>
  );
}
