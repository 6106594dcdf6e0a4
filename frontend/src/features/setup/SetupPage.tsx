import { Box, Button, Center, Image, Paper, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCompleteSetup } from '../../api/system';
import logo from '../../assets/logo.svg';
import { useServerErrors } from '../../components/useServerErrors';
import { JoinForm } from './JoinForm';

type SetupValues = {
  organisationName: string;
  adminName: string;
  adminEmail: string;
};

type Start = 'new' | 'join';

/**
 * SetupPage is the first-run screen: set up a new organisation with its
 * first administrator, or connect to the organisation's directory server
 * and copy it from there.
 */
export function SetupPage() {
  const { t } = useTranslation();
  const { t: ts } = useTranslation('sync');
  const [start, setStart] = useState<Start>('new');

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-body)">
      <Paper component="main" withBorder shadow="sm" p="xl" w="100%" maw={520}>
        <Stack gap="md">
          <Box>
            <Image src={logo} alt="" w={48} h={48} mb="sm" />
            <Title order={1} size="h2">
              {t('setup.title')}
            </Title>
          </Box>
          <Radio.Group label={ts('join.choose')} value={start} onChange={(v) => setStart(v as Start)}>
            <Stack gap="xs" mt="xs">
              <Radio value="new" label={ts('join.newOrganisation')} />
              <Radio value="join" label={ts('join.connect')} />
            </Stack>
          </Radio.Group>
          {start === 'new' ? <NewOrganisationForm /> : <JoinForm />}
        </Stack>
      </Paper>
    </Center>
  );
}

/** NewOrganisationForm sets up a new organisation and its first administrator. */
function NewOrganisationForm() {
  const { t } = useTranslation();
  const setup = useCompleteSetup();
  const form = useForm<SetupValues>({
    mode: 'uncontrolled',
    initialValues: { organisationName: '', adminName: '', adminEmail: '' },
    validate: {
      organisationName: (v) => (v.trim() ? null : t('errors.name.missing')),
      adminName: (v) => (v.trim() ? null : t('errors.name.missing')),
      adminEmail: (v) => (v.trim() ? null : t('errors.email.missing')),
    },
  });
  const onError = useServerErrors(form);

  return (
    <form onSubmit={form.onSubmit((values) => setup.mutate(values, { onError }))} noValidate>
      <Stack gap="md">
        <Text c="dimmed">{t('setup.intro')}</Text>
        <TextInput
          label={t('setup.organisationName')}
          placeholder={t('setup.organisationNamePlaceholder')}
          required
          data-autofocus
          autoFocus
          key={form.key('organisationName')}
          {...form.getInputProps('organisationName')}
        />
        <TextInput
          label={t('setup.adminName')}
          placeholder={t('setup.adminNamePlaceholder')}
          required
          autoComplete="name"
          key={form.key('adminName')}
          {...form.getInputProps('adminName')}
        />
        <TextInput
          label={t('setup.adminEmail')}
          placeholder={t('setup.adminEmailPlaceholder')}
          required
          type="email"
          autoComplete="email"
          key={form.key('adminEmail')}
          {...form.getInputProps('adminEmail')}
        />
        <Button type="submit" loading={setup.isPending} mt="xs">
          {t('setup.submit')}
        </Button>
      </Stack>
    </form>
  );
}
