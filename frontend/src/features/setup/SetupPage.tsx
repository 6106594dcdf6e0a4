import { Box, Button, Center, Image, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useCompleteSetup } from '../../api/system';
import logo from '../../assets/logo.svg';
import { useServerErrors } from '../../components/useServerErrors';

type SetupValues = {
  organisationName: string;
  adminName: string;
  adminEmail: string;
};

/** SetupPage is the first-run screen: the organisation and its first administrator. */
export function SetupPage() {
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
    <Center mih="100vh" p="md" bg="var(--mantine-color-body)">
      <Paper component="main" withBorder shadow="sm" p="xl" w="100%" maw={480}>
        <form onSubmit={form.onSubmit((values) => setup.mutate(values, { onError }))} noValidate>
          <Stack gap="md">
            <Box>
              <Image src={logo} alt="" w={48} h={48} mb="sm" />
              <Title order={1} size="h2">
                {t('setup.title')}
              </Title>
              <Text c="dimmed" mt="xs">
                {t('setup.intro')}
              </Text>
            </Box>
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
      </Paper>
    </Center>
  );
}
