import { Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { type Permission, type Role, type RoleValues, useCreateRole, useUpdateRole } from '../../api/roles';
import { notifySuccess } from '../../components/notify';
import { useServerErrors } from '../../components/useServerErrors';

const groups: { labelKey: string; permissions: Permission[] }[] = [
  { labelKey: 'roles.groupPlatform', permissions: ['chat', 'use_skills', 'create_skills'] },
  { labelKey: 'roles.groupAdmin', permissions: ['manage_users', 'change_settings', 'configure_models'] },
];

interface RoleDialogProps {
  opened: boolean;
  /** role is the custom role to edit; undefined creates a new one. */
  role?: Role;
  onClose: () => void;
}

/** RoleDialog creates or edits a custom role: a name and the permissions it gives. */
export function RoleDialog({ opened, role, onClose }: RoleDialogProps) {
  const { t } = useTranslation();
  const create = useCreateRole();
  const update = useUpdateRole();
  const form = useForm<RoleValues>({
    initialValues: { name: '', permissions: [] },
    validate: {
      name: (v) => (v.trim() ? null : t('errors.name.missing')),
      permissions: (v) => (v.length ? null : t('errors.role.no_permissions')),
    },
  });
  const onError = useServerErrors(form);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the form is filled when the dialog opens
  useEffect(() => {
    if (!opened) return;
    const values = { name: role?.name ?? '', permissions: role?.permissions ?? ['chat'] };
    form.setInitialValues(values);
    form.setValues(values);
    form.clearErrors();
  }, [opened, role]);

  const pending = create.isPending || update.isPending;
  const submit = (values: RoleValues) => {
    const done = (r: Role) => {
      notifySuccess(t(role ? 'roles.updated' : 'roles.created', { name: r.name }));
      onClose();
    };
    if (role) update.mutate({ id: role.id, ...values }, { onSuccess: done, onError });
    else create.mutate(values, { onSuccess: done, onError });
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={role ? t('roles.editTitle', { name: role.name }) : t('roles.createTitle')}
      size="md"
      centered
    >
      <form noValidate onSubmit={form.onSubmit(submit)}>
        <Stack gap="md">
          <TextInput
            label={t('roles.name')}
            placeholder={t('roles.namePlaceholder')}
            required
            data-autofocus
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <Checkbox.Group
            label={t('roles.permissions')}
            description={t('roles.permissionsHint')}
            required
            key={form.key('permissions')}
            {...form.getInputProps('permissions')}
          >
            <Stack gap="md" mt="xs">
              {groups.map((g) => (
                <div key={g.labelKey}>
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={6}>
                    {t(g.labelKey)}
                  </Text>
                  <Stack gap={8}>
                    {g.permissions.map((p) => (
                      <Checkbox key={p} value={p} label={t(`permissions.${p}`)} />
                    ))}
                  </Stack>
                </div>
              ))}
            </Stack>
          </Checkbox.Group>
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={pending}>
              {role ? t('roles.save') : t('roles.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
