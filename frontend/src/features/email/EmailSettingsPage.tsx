import {
  Alert,
  Button,
  Code,
  Group,
  Input,
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconCertificate,
  IconKey,
  IconMailForward,
  IconShieldCheck,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AppError, toAppError } from '../../api/client';
import {
  type EmailSettings,
  type EmailSettingsParams,
  emailKeys,
  keyringProblemKeys,
  type MailLanguage,
  onOutboxProgress,
  type Security,
  type TemplateKind,
  useEmailSettings,
  useMailQueue,
  useSaveEmailSettings,
  useSendTestEmail,
  useTemplatePreview,
  useTrustCertificate,
} from '../../api/email';
import { useSystemState } from '../../api/system';
import { useFormat } from '../../components/format';
import { useServerErrors } from '../../components/useServerErrors';
import { useErrorText } from '../../i18n';
import classes from './Email.module.css';

type FormValues = {
  host: string;
  port: number;
  security: Security;
  username: string;
  password: string;
  fromName: string;
  fromAddress: string;
  platformUrl: string;
  language: MailLanguage;
  rateLimit: number;
};

function formValues(s: EmailSettings): FormValues {
  return {
    host: s.host,
    port: s.port,
    security: (s.security || 'starttls') as Security,
    username: s.username,
    password: '',
    fromName: s.fromName,
    fromAddress: s.fromAddress,
    platformUrl: s.platformUrl,
    language: (s.language || 'en') as MailLanguage,
    rateLimit: s.rateLimit,
  };
}

/** EmailSettingsPage is Admin Settings → Email. */
export function EmailSettingsPage() {
  const { t } = useTranslation('email');
  const settings = useEmailSettings();
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
      <QueueStatus configured={settings.data?.configured ?? false} />
      {settings.data ? (
        <SettingsForm settings={settings.data} />
      ) : (
        <Skeleton height={520} radius="md" aria-hidden />
      )}
      <TestEmail />
      <TemplatePreview />
    </Stack>
  );
}

/** QueueStatus shows the outbox, kept fresh by the worker's progress events. */
function QueueStatus({ configured }: { configured: boolean }) {
  const { t } = useTranslation('email');
  const queue = useMailQueue();
  const qc = useQueryClient();
  const { dateTime } = useFormat();
  useEffect(() => onOutboxProgress(() => qc.invalidateQueries({ queryKey: emailKeys.queue })), [qc]);
  const q = queue.data;
  const stats: { label: string; value: number | undefined; color?: string }[] = [
    { label: t('queue.queued'), value: q?.queued },
    { label: t('queue.sending'), value: q?.sending },
    { label: t('queue.sent'), value: q?.sent, color: q?.sent ? 'teal' : undefined },
    { label: t('queue.failed'), value: q?.failed, color: q?.failed ? 'red' : undefined },
  ];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="mail-queue-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="mail-queue-title">
          {t('queue.title')}
        </Title>
        {q?.nextAttemptAt && (
          <Text size="sm" c="dimmed">
            {t('queue.nextAttempt', { when: dateTime(q.nextAttemptAt) })}
          </Text>
        )}
      </Group>
      <SimpleGrid cols={4}>
        {stats.map((s) => (
          <div key={s.label}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
              {s.label}
            </Text>
            <Text size="xl" fw={700} c={s.color}>
              {s.value ?? '–'}
            </Text>
          </div>
        ))}
      </SimpleGrid>
      {!configured && (
        <Text size="sm" c="orange.8" mt="sm">
          {t('queue.notConfigured')}
        </Text>
      )}
    </Paper>
  );
}

/** SettingsForm edits the SMTP settings; the password goes in, never out. */
function SettingsForm({ settings }: { settings: EmailSettings }) {
  const { t } = useTranslation('email');
  const errorText = useErrorText();
  const save = useSaveEmailSettings();
  const trust = useTrustCertificate();
  const [keyringError, setKeyringError] = useState<AppError | null>(null);
  const form = useForm<FormValues>({ mode: 'controlled', initialValues: formValues(settings) });
  const onServerError = useServerErrors(form);

  const submit = (values: FormValues, sessionOnly = false) => {
    const params = { ...values, sessionOnly } as unknown as EmailSettingsParams;
    save.mutate(params, {
      onSuccess: (saved) => {
        setKeyringError(null);
        form.setValues(formValues(saved));
        form.resetDirty();
        notifications.show({
          color: 'teal',
          message: saved.passwordStore === 'session' ? t('form.savedSession') : t('form.saved'),
        });
      },
      onError: (err) => {
        const e = toAppError(err);
        if (keyringProblemKeys.some((k) => k === e.key)) {
          setKeyringError(e);
          return;
        }
        onServerError(e);
      },
    });
  };

  const passwordPlaceholder = settings.passwordSet
    ? settings.passwordStore === 'session'
      ? t('form.passwordSession')
      : t('form.passwordSaved')
    : '';
  const problem = keyringError ?? (settings.keyringProblem ? toAppError(settings.keyringProblem) : null);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="smtp-title">
      <form onSubmit={form.onSubmit((v) => submit(v))} noValidate>
        <Stack gap="md">
          <Title order={2} size="h4" id="smtp-title">
            {t('form.title')}
          </Title>
          <Group align="flex-start" grow>
            <TextInput
              label={t('form.host')}
              placeholder={t('form.hostPlaceholder')}
              required
              style={{ flexGrow: 3 }}
              {...form.getInputProps('host')}
            />
            <NumberInput
              label={t('form.port')}
              min={1}
              max={65535}
              allowDecimal={false}
              {...form.getInputProps('port')}
            />
          </Group>
          <Stack gap={4}>
            <Input.Label id="security-label">{t('form.security')}</Input.Label>
            <SegmentedControl
              aria-labelledby="security-label"
              w="fit-content"
              data={[
                { value: 'starttls', label: t('form.starttls') },
                { value: 'tls', label: t('form.tls') },
                { value: 'none', label: t('form.none') },
              ]}
              {...form.getInputProps('security')}
            />
            <Text size="xs" c="dimmed">
              {t('form.securityHelp')}
            </Text>
            {form.errors.security && (
              <Text size="xs" c="red" role="alert">
                {form.errors.security}
              </Text>
            )}
          </Stack>
          <Group align="flex-start" grow>
            <TextInput label={t('form.username')} autoComplete="off" {...form.getInputProps('username')} />
            <PasswordInput
              label={t('form.password')}
              placeholder={passwordPlaceholder}
              description={t('form.passwordHelp')}
              autoComplete="new-password"
              leftSection={<IconKey size={16} aria-hidden />}
              {...form.getInputProps('password')}
            />
          </Group>
          {problem && (
            <Alert
              color="orange"
              icon={<IconAlertTriangle aria-hidden />}
              title={t('keyring.title')}
              role="alert"
            >
              <Stack gap="xs">
                <Text size="sm">{errorText(problem)}</Text>
                <Text size="sm" c="dimmed">
                  {t('keyring.sessionExplain')}
                </Text>
                <Button
                  variant="light"
                  color="orange"
                  w="fit-content"
                  loading={save.isPending}
                  onClick={() => submit(form.getValues(), true)}
                >
                  {t('keyring.sessionOnly')}
                </Button>
              </Stack>
            </Alert>
          )}
          <Group align="flex-start" grow>
            <TextInput
              label={t('form.fromName')}
              placeholder={t('form.fromNamePlaceholder')}
              {...form.getInputProps('fromName')}
            />
            <TextInput
              label={t('form.fromAddress')}
              placeholder={t('form.fromAddressPlaceholder')}
              type="email"
              required
              {...form.getInputProps('fromAddress')}
            />
          </Group>
          <TextInput
            label={t('form.platformUrl')}
            placeholder={t('form.platformUrlPlaceholder')}
            description={t('form.platformUrlHelp')}
            required
            {...form.getInputProps('platformUrl')}
          />
          <Group align="flex-start" grow>
            <Select
              label={t('form.language')}
              allowDeselect={false}
              data={[
                { value: 'en', label: t('languages.en') },
                { value: 'de', label: t('languages.de') },
              ]}
              {...form.getInputProps('language')}
            />
            <NumberInput
              label={t('form.rateLimit')}
              description={t('form.rateLimitHelp')}
              min={1}
              allowDecimal={false}
              thousandSeparator
              {...form.getInputProps('rateLimit')}
            />
          </Group>
          {settings.trustedFingerprint && (
            <Alert
              color="gray"
              variant="light"
              icon={<IconShieldCheck aria-hidden />}
              title={t('form.trusted')}
            >
              <Stack gap="xs">
                <Text size="sm">{t('form.trustedHelp')}</Text>
                <Code block style={{ wordBreak: 'break-all', whiteSpace: 'normal' }}>
                  {settings.trustedFingerprint}
                </Code>
                <Button
                  variant="default"
                  size="xs"
                  w="fit-content"
                  loading={trust.isPending}
                  onClick={() => trust.mutate('')}
                >
                  {t('form.stopTrusting')}
                </Button>
              </Stack>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('form.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** TestEmail sends a test message and shows the server's exact answer. */
function TestEmail() {
  const { t } = useTranslation('email');
  const errorText = useErrorText();
  const { dateTime } = useFormat();
  const adminEmail = useSystemState().data?.admin?.email ?? '';
  const [to, setTo] = useState('');
  const send = useSendTestEmail();
  const trust = useTrustCertificate();
  const failure = send.error ? toAppError(send.error) : null;
  const args = (failure?.args ?? {}) as Record<string, string | number | undefined>;
  const recipient = to || adminEmail;

  const onSend = () =>
    send.mutate(recipient, {
      onSuccess: (r) => notifications.show({ color: 'teal', message: t('test.sent', { to: r.to }) }),
    });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="test-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="test-title">
          {t('test.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('test.intro')}
        </Text>
        <Group align="flex-end">
          <TextInput
            label={t('test.to')}
            type="email"
            placeholder={adminEmail}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            error={failure?.field === 'to' ? errorText(failure) : undefined}
            style={{ flex: 1 }}
          />
          <Button
            leftSection={<IconMailForward size={16} aria-hidden />}
            loading={send.isPending}
            onClick={onSend}
          >
            {t('test.send')}
          </Button>
        </Group>
        {failure && failure.field !== 'to' && args.category === 'certificate' && (
          <Alert
            color="orange"
            icon={<IconCertificate aria-hidden />}
            title={t('test.certificate.title')}
            role="alert"
          >
            <Stack gap="xs">
              <Text size="sm">{t('test.certificate.explain', { reason: args.reason })}</Text>
              <dl className={classes.facts}>
                <dt>{t('test.certificate.fingerprint')}</dt>
                <dd>
                  <Code style={{ wordBreak: 'break-all' }}>{args.fingerprint}</Code>
                </dd>
                <dt>{t('test.certificate.subject')}</dt>
                <dd>{args.subject}</dd>
                <dt>{t('test.certificate.issuer')}</dt>
                <dd>{args.issuer}</dd>
                <dt>{t('test.certificate.valid')}</dt>
                <dd>
                  {t('test.certificate.validRange', {
                    from: dateTime(String(args.notBefore ?? '')),
                    to: dateTime(String(args.notAfter ?? '')),
                  })}
                </dd>
              </dl>
              <Button
                variant="light"
                color="orange"
                w="fit-content"
                loading={trust.isPending}
                onClick={() =>
                  trust.mutate(String(args.fingerprint), {
                    onSuccess: () => {
                      send.reset();
                      notifications.show({ color: 'teal', message: t('test.certificate.trusted') });
                    },
                  })
                }
              >
                {t('test.certificate.trust')}
              </Button>
            </Stack>
          </Alert>
        )}
        {failure && failure.field !== 'to' && args.category !== 'certificate' && (
          <Alert
            color="red"
            icon={<IconAlertTriangle aria-hidden />}
            title={t('test.failedTitle')}
            role="alert"
          >
            <Stack gap="xs">
              <Text size="sm">{errorText(failure)}</Text>
              {(args.smtpCode || failure.key?.startsWith('smtp.')) && (
                <div>
                  <Text size="xs" c="dimmed" fw={700}>
                    {t('test.serverReply')}
                  </Text>
                  <Code block>
                    {args.smtpCode ? `${args.smtpCode} ${args.reply ?? ''}` : failure.message}
                  </Code>
                </div>
              )}
            </Stack>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * TemplatePreview renders the emails with sample data: the invitation and the
 * password reset, and the notice the directory server sends after a password change.
 */
function TemplatePreview() {
  const { t } = useTranslation('email');
  const [kind, setKind] = useState<TemplateKind>('invitation');
  const [language, setLanguage] = useState<MailLanguage>('en');
  const preview = useTemplatePreview(kind, language);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="templates-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="templates-title">
            {t('preview.title')}
          </Title>
          <SegmentedControl
            aria-label={t('preview.language')}
            value={language}
            onChange={(v) => setLanguage(v as MailLanguage)}
            data={[
              { value: 'en', label: t('languages.en') },
              { value: 'de', label: t('languages.de') },
            ]}
          />
        </Group>
        <Tabs value={kind} onChange={(v) => setKind((v as TemplateKind) ?? 'invitation')}>
          <Tabs.List>
            <Tabs.Tab value="invitation">{t('preview.invitation')}</Tabs.Tab>
            <Tabs.Tab value="password_reset">{t('preview.passwordReset')}</Tabs.Tab>
            <Tabs.Tab value="password_changed">{t('preview.passwordChanged')}</Tabs.Tab>
          </Tabs.List>
        </Tabs>
        {preview.data ? (
          <>
            <Text size="sm">
              <Text span fw={700}>
                {t('preview.subject')}:
              </Text>{' '}
              {preview.data.subject}
            </Text>
            <Tabs defaultValue="html" variant="pills">
              <Tabs.List>
                <Tabs.Tab value="html">{t('preview.html')}</Tabs.Tab>
                <Tabs.Tab value="text">{t('preview.text')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="html" pt="sm">
                <iframe
                  title={t('preview.frameTitle')}
                  sandbox=""
                  srcDoc={preview.data.html}
                  className={classes.preview}
                />
              </Tabs.Panel>
              <Tabs.Panel value="text" pt="sm">
                <Code block>{preview.data.text}</Code>
              </Tabs.Panel>
            </Tabs>
          </>
        ) : (
          <Skeleton height={420} aria-hidden />
        )}
      </Stack>
    </Paper>
  );
}
