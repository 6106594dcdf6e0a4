import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type InviteValues, useInviteUser } from '../../api/invitations';
import { ROLE_USER, useRoles } from '../../api/roles';
import { useMailReadiness } from '../../components/mailReady';
import { notifySuccess } from '../../components/notify';
import { useRoleName } from '../../components/roleName';
import { useServerErrors } from '../../components/useServerErrors';
import { useRoleSummary } from '../roles/roleSummary';
import { type Lookalike, LookalikeWarning, lookalikeOf } from './LookalikeWarning';

interface InviteOneDialogProps {
  opened: boolean;
  onClose: () => void;
}

/**
 * InviteOneDialog is the guide's "Invite one user": an email address, a role,
 * and Send invitation. An address whose domain mixes alphabets (it can look
 * exactly like another one) is refused by the backend until confirmed: the
 * dialog then shows it beside its punycode form with a box to tick. Without a
 * mail server it says so: the invitation is stored and its email waits.
 */
export function InviteOneDialog({ opened, onClose }: InviteOneDialogProps) {
  const { t } = useTranslation();
  const roles = useRoles();
  const invite = useInviteUser();
  const summary = useRoleSummary();
  const roleName = useRoleName();
  const noMail = useMailReadiness() === 'notSetUp';
  const [lookalike, setLookalike] = useState<Lookalike | null>(null);
  const form = useForm<InviteValues>({
    initialValues: { email: '', role: ROLE_USER, confirmLookalike: false },
    // The warning belongs to the address it was given for: editing the
    // address drops it, and with it the confirmation (sent only beside it).
    onValuesChange: (values, previous) => {
      if (values.email !== previous.email) setLookalike(null);
    },
    validate: {
      email: (v) => (v.trim() ? null : t('errors.email.missing')),
      role: (v) => (v ? null : t('errors.role.missing')),
    },
  });
  const onError = useServerErrors(form);
  const close = () => {
    form.reset();
    invite.reset();
    setLookalike(null);
    onClose();
  };
  const submit = (values: InviteValues) => {
    if (lookalike && !values.confirmLookalike) {
      form.setFieldError('confirmLookalike', t('invite.lookalikeRequired'));
      return;
    }
    invite.mutate(
      { ...values, confirmLookalike: lookalike !== null && values.confirmLookalike },
      {
        onError: (err) => {
          const found = lookalikeOf(err);
          if (found && form.getValues().email === values.email) {
            setLookalike(found);
            form.setFieldValue('confirmLookalike', false);
          } else if (!found) {
            onError(err);
          }
        },
        onSuccess: (inv) => {
          if (noMail) notifySuccess(t('invite.stored', { email: inv.email }), t('invite.storedTitle'));
          else notifySuccess(t('invite.sent', { email: inv.email }), t('invite.sentTitle'));
          close();
        },
      },
    );
  };
  const selected = roles.data?.find((r) => r.id === form.values.role);

  return (
    <Modal opened={opened} onClose={close} title={t('invite.title')} size="md" centered>
      <form noValidate onSubmit={form.onSubmit(submit)}>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {noMail ? t('invite.introNoMail') : t('invite.intro')}
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
          {lookalike && (
            <LookalikeWarning
              lookalike={lookalike}
              checkbox={form.getInputProps('confirmLookalike', { type: 'checkbox' })}
            />
          )}
          <Select
            label={t('invite.role')}
            required
            allowDeselect={false}
            data={(roles.data ?? []).map((r) => ({ value: r.id, label: roleName(r.id, r.name) }))}
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
