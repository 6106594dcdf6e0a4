import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { type InviteValues, useInviteUser } from '../../api/invitations';
import { ROLE_USER, useRoles } from '../../api/roles';
import { notifySuccess } from '../../components/notify';
import { useServerErrors } from '../../components/useServerErrors';
import { useRoleSummary } from '../roles/roleSummary';

interface InviteOneDialogProps {
  opened: boolean;
  onClose: () => void;
}

/** InviteOneDialog is the guide's "Invite one user": an email address, a role, and Send invitation. */
export function InviteOneDialog({ opened, onClose }: InviteOneDialogProps) {
  const { t } = useTranslation();
  const roles = useRoles();
  const invite = useInviteUser();
  const summary = useRoleSummary();
  const form = useForm<InviteValues>({
    initialValues: { email: '', role: ROLE_USER },
    validate: {
      email: (v) => (v.trim() ? null : t('errors.email.missing')),
      role: (v) => (v ? null : t('errors.role.missing')),
    },
  });
  const onError = useServerErrors(form);
  const close = () => {
    form.reset();
    invite.reset();
    onClose();
  };
  const selected = roles.data?.find((r) => r.id === form.values.role);

  return (
    <Modal opened={opened} onClose={close} title={t('invite.title')} size="md" centered>
      <form
        noValidate
        onSubmit={form.onSubmit((values) =>
          invite.mutate(values, {
            onError,
            onSuccess: (inv) => {
              notifySuccess(t('invite.sent', { email: inv.email }), t('invite.sentTitle'));
              close();
            },
          }),
        )}
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {t('invite.intro')}
          </Text>
          <TextInput
            label={t('invite.email')}
            placeholder={t('invite.emailPlaceholder')}
            type="email"
            autoComplete="off"
            required
            data-autofocus
            key={form.key('email')}
            {...form.getInputProps('email')}
          />
          <Select
            label={t('invite.role')}
            required
            allowDeselect={false}
            data={(roles.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
            description={summary(selected)}
            comboboxProps={{ withinPortal: true, zIndex: 400 }}
            key={form.key('role')}
            {...form.getInputProps('role')}
          />
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button
              type="submit"
              loading={invite.isPending}
              leftSection={<IconSend size={16} stroke={1.7} aria-hidden />}
            >
              {t('invite.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
