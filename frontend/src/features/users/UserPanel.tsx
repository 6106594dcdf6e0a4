import {
  Alert,
  Avatar,
  Button,
  DataList,
  Divider,
  Group,
  Select,
  Skeleton,
  Stack,
  Text,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconInfoCircle,
  IconKey,
  IconUserCheck,
  IconUserMinus,
  IconUserOff,
} from '@tabler/icons-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRoles } from '../../api/roles';
import {
  type User,
  useActivateUser,
  useChangeUserRole,
  useDeactivateUser,
  useRemoveUser,
  useSendPasswordReset,
  useUser,
} from '../../api/users';
import { StatusBadge } from '../../components/badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useFormat } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { useErrorText } from '../../i18n';
import { initials } from '../shell/UserMenu';

type Confirm = { kind: 'role'; roleId: string } | { kind: 'deactivate' } | { kind: 'remove' };

/** lockReason says why a member's role, activity and membership cannot be changed here, or undefined. */
export function lockReason(
  user: Pick<User, 'isSelf' | 'isLastAdmin' | 'status'>,
): 'self' | 'lastAdmin' | 'removed' | undefined {
  if (user.status === 'removed') return 'removed';
  if (user.isSelf) return 'self';
  if (user.isLastAdmin) return 'lastAdmin';
  return undefined;
}

/**
 * UserPanel shows a member in the details panel: role (changed after a
 * confirmation), Send password reset, Deactivate/Activate and Remove. When a
 * rule forbids a change (the last Administrator, yourself), the controls are
 * disabled and the panel says why.
 */
export function UserPanel({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const user = useUser(id);
  const roles = useRoles();
  const changeRole = useChangeUserRole();
  const deactivate = useDeactivateUser();
  const activate = useActivateUser();
  const remove = useRemoveUser();
  const reset = useSendPasswordReset();
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const lockId = useId();
  const resetHintId = useId();

  if (user.isPending) return <Skeleton h={320} />;
  if (user.isError) {
    return (
      <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('details.loadFailed')}>
        {errorText(user.error)}
      </Alert>
    );
  }
  const u = user.data;
  const lock = lockReason(u);
  const fail = (e: unknown) => {
    setConfirm(null);
    notifyError(t('errors.title'), errorText(e));
  };
  const newRole = confirm?.kind === 'role' ? roles.data?.find((r) => r.id === confirm.roleId) : undefined;

  const runConfirmed = () => {
    if (!confirm) return;
    if (confirm.kind === 'role') {
      changeRole.mutate(
        { id: u.id, roleId: confirm.roleId },
        {
          onSuccess: (r) => {
            setConfirm(null);
            notifySuccess(t('details.roleChanged', { name: r.name, role: r.roleName }));
          },
          onError: fail,
        },
      );
    } else if (confirm.kind === 'deactivate') {
      deactivate.mutate(u.id, {
        onSuccess: (r) => {
          setConfirm(null);
          notifySuccess(t('details.deactivated', { name: r.name }));
        },
        onError: fail,
      });
    } else {
      remove.mutate(u.id, {
        onSuccess: (r) => {
          setConfirm(null);
          notifySuccess(t('details.removed', { name: r.name }), t('details.removedTitle'));
          onDone();
        },
        onError: fail,
      });
    }
  };

  const sendReset = () =>
    reset.mutate(u.id, {
      onSuccess: (r) =>
        notifySuccess(
          t('details.resetSent', { email: u.email, date: fmt.dateTime(r.expiresAt) }),
          t('details.resetSentTitle'),
        ),
      onError: (e) => notifyError(t('errors.title'), errorText(e)),
    });

  const doActivate = () =>
    activate.mutate(u.id, {
      onSuccess: (r) => notifySuccess(t('details.activated', { name: r.name })),
      onError: (e) => notifyError(t('errors.title'), errorText(e)),
    });

  const lockText =
    lock === 'self'
      ? t('details.lockSelf')
      : lock === 'lastAdmin'
        ? t('details.lockLastAdmin', { name: u.name })
        : lock === 'removed'
          ? t('details.lockRemoved', { name: u.name, date: fmt.date(u.removedAt) })
          : '';
  const describedBy = lock ? lockId : undefined;

  return (
    <Stack gap="lg">
      <Group gap="md" wrap="nowrap">
        <Avatar color="indigo" radius="xl" size={48}>
          {initials(u.name)}
        </Avatar>
        <div style={{ minWidth: 0 }}>
          <Text fw={600} size="lg" truncate>
            {u.name}
          </Text>
          <Text size="sm" c="dimmed" truncate>
            {u.email}
          </Text>
        </div>
      </Group>

      <DataList labelWidth={140}>
        <DataList.Item>
          <DataList.ItemLabel>{t('details.email')}</DataList.ItemLabel>
          <DataList.ItemValue style={{ wordBreak: 'break-all' }}>{u.email}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('details.status')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <StatusBadge status={u.status} />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('details.joinedAt')}</DataList.ItemLabel>
          <DataList.ItemValue>{fmt.date(u.joinedAt)}</DataList.ItemValue>
        </DataList.Item>
      </DataList>

      <Select
        label={t('details.role')}
        data={(roles.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
        value={u.roleId}
        allowDeselect={false}
        disabled={!!lock || changeRole.isPending}
        aria-describedby={describedBy}
        onChange={(v) => {
          if (v && v !== u.roleId) setConfirm({ kind: 'role', roleId: v });
        }}
        comboboxProps={{ withinPortal: true }}
      />

      {lock && (
        <Alert
          id={lockId}
          variant="light"
          color={lock === 'removed' ? 'red' : 'blue'}
          icon={<IconInfoCircle aria-hidden />}
          title={lock === 'lastAdmin' ? t('details.lockLastAdminTitle') : undefined}
        >
          {lockText}
        </Alert>
      )}

      <Divider />

      <Stack gap="sm">
        <div>
          <Button
            variant="light"
            leftSection={<IconKey size={16} stroke={1.7} aria-hidden />}
            onClick={sendReset}
            loading={reset.isPending}
            disabled={u.status !== 'active'}
            aria-describedby={u.status === 'inactive' ? resetHintId : undefined}
          >
            {t('details.sendReset')}
          </Button>
          {u.status === 'inactive' && (
            <Text id={resetHintId} size="xs" c="dimmed" mt={4}>
              {t('details.resetInactive', { name: u.name })}
            </Text>
          )}
        </div>
        <Group gap="sm">
          {u.status === 'inactive' ? (
            <Button
              variant="default"
              leftSection={<IconUserCheck size={16} stroke={1.7} aria-hidden />}
              onClick={doActivate}
              loading={activate.isPending}
            >
              {t('details.activate')}
            </Button>
          ) : (
            <Button
              variant="default"
              leftSection={<IconUserOff size={16} stroke={1.7} aria-hidden />}
              onClick={() => setConfirm({ kind: 'deactivate' })}
              disabled={!!lock}
              aria-describedby={describedBy}
            >
              {t('details.deactivate')}
            </Button>
          )}
          <Button
            variant="outline"
            color="red"
            leftSection={<IconUserMinus size={16} stroke={1.7} aria-hidden />}
            onClick={() => setConfirm({ kind: 'remove' })}
            disabled={!!lock}
            aria-describedby={describedBy}
          >
            {t('details.remove')}
          </Button>
        </Group>
      </Stack>

      <ConfirmDialog
        opened={confirm !== null}
        title={
          confirm?.kind === 'role'
            ? t('details.changeRoleTitle')
            : confirm?.kind === 'deactivate'
              ? t('details.deactivateTitle', { name: u.name })
              : t('details.removeTitle', { name: u.name })
        }
        color={confirm?.kind === 'role' ? undefined : 'red'}
        loading={changeRole.isPending || deactivate.isPending || remove.isPending}
        onConfirm={runConfirmed}
        onCancel={() => setConfirm(null)}
      >
        <Text size="sm">
          {confirm?.kind === 'role'
            ? t('details.changeRoleText', { name: u.name, from: u.roleName, to: newRole?.name ?? '' })
            : confirm?.kind === 'deactivate'
              ? t('details.deactivateText', { name: u.name })
              : t('details.removeText', { name: u.name, email: u.email })}
        </Text>
      </ConfirmDialog>
    </Stack>
  );
}
