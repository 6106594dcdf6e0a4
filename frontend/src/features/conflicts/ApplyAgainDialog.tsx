import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import type { Conflict } from '../../api/conflicts';
import { useApplyAgain } from '../../api/conflicts';
import { useRoles } from '../../api/roles';
import { notifySuccess } from '../../components/notify';
import { useRoleName } from '../../components/roleName';
import { useServerErrors } from '../../components/useServerErrors';
import { kindLabel } from './kind';

type FormValues = { email: string; roleId: string; name: string };

/**
 * ApplyAgainDialog makes a refused change again: its form is filled with
 * what this computer did, and what may differ this time (an invitation's
 * address and role, a member's new role, a role's name) can be edited.
 */
export function ApplyAgainDialog({ conflict, onClose }: { conflict: Conflict; onClose: () => void }) {
  const { t } = useTranslation('conflicts');
  const roles = useRoles();
  const roleName = useRoleName();
  const apply = useApplyAgain();
  const { kind, mine } = conflict;
  const form = useForm<FormValues>({
    mode: 'controlled',
    initialValues: { email: mine.email, roleId: mine.roleId, name: mine.name },
  });
  const onError = useServerErrors(form, { role: 'roleId' });
  const editsEmail = kind === 'invitation.create';
  const editsRole = kind === 'invitation.create' || kind === 'user.change_role';
  const editsName = kind === 'role.create' || kind === 'role.update';

  const submit = (v: FormValues) =>
    apply.mutate(
      {
        seq: conflict.seq,
        email: editsEmail ? v.email : '',
        roleId: editsRole ? v.roleId : '',
        name: editsName ? v.name : '',
        permissions: null,
      },
      {
        onSuccess: () => {
          notifySuccess(t('apply.done'));
          onClose();
        },
        onError,
      },
    );

  return (
    <Modal opened onClose={onClose} title={t('apply.title')} centered>
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack gap="md">
          <Text size="sm">{kindLabel(t, kind)}</Text>
          <Text size="sm" c="dimmed">
            {t('apply.intro')}
          </Text>
          {editsEmail && (
            <TextInput
              label={t('field.email')}
              required
              type="email"
              key={form.key('email')}
              {...form.getInputProps('email')}
            />
          )}
          {editsName && (
            <TextInput
              label={t('field.name')}
              required
              key={form.key('name')}
              {...form.getInputProps('name')}
            />
          )}
          {editsRole && (
            <Select
              label={t('field.role')}
              required
              allowDeselect={false}
              data={(roles.data ?? []).map((r) => ({ value: r.id, label: roleName(r.id, r.name) }))}
              comboboxProps={{ withinPortal: true, zIndex: 400 }}
              key={form.key('roleId')}
              {...form.getInputProps('roleId')}
            />
          )}
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('apply.cancel')}
            </Button>
            <Button type="submit" loading={apply.isPending}>
              {t('apply.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
