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
import { useSyncSettings } from '../../api/sync';
import {
  type User,
  useActivateUser,
  useChangeUserRole,
  useDeactivateUser,
  useRemoveUser,
  useSendPasswordReset,
  useUser,
} from '../../api/users';
import { RoleBadge, StatusBadge } from '../../components/badges';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useFormat } from '../../components/format';
import { useMailReadiness } from '../../components/mailReady';
import { notifyError, notifySuccess } from '../../components/notify';
import { useRoleName } from '../../components/roleName';
import { useErrorText } from '../../i18n';
import { initials } from '../shell/UserMenu';
import { EntryHistory } from './EntryHistory';

type Confirm = { kind: 'role'; roleId: string } | { kind: 'deactivate' } | { kind: 'remove' };

/** LockReason is why a member's role, activity and membership cannot be changed here. */
export type LockReason = 'removed' | 'self' | 'lastAdmin';

/** lockReasons lists the rules that stop changes to a member (none when they can be changed). */
export function lockReasons(user: Pick<User, 'isSelf' | 'isLastAdmin' | 'status'>): LockReason[] {
  if (user.status === 'removed') return ['removed'];
  const reasons: LockReason[] = [];
  if (user.isLastAdmin) reasons.push('lastAdmin');
  if (user.isSelf) reasons.push('self');
  return reasons;
}

/**
 * UserPanel shows a member in the details panel: their last sign-in (as far
 * as this computer knows it), role (changed after a confirmation), Send
 * password reset, Deactivate/Activate, Remove, and their history. When a
 * rule forbids a change (the last Administrator, yourself), the controls are
 * disabled and the panel says why.
 */
export function UserPanel({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const roleName = useRoleName();
  const noMail = useMailReadiness() === 'notSetUp';
  const errorText = useErrorText();
  const user = useUser(id);
  const roles = useRoles();
  // Connected to a directory server, the members' sign-ins come with its
  // changes: a member without one has not signed in yet.
  const synced = useSyncSettings().data?.connected === true;
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
  const reasons = lockReasons(u);
  const locked = reasons.length > 0;
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
            notifySuccess(t('details.roleChanged', { name: r.name, role: roleName(r.roleId, r.roleName) }));
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
          t(noMail ? 'details.resetStored' : 'details.resetSent', {
            email: u.email,
            date: fmt.dateTime(r.expiresAt),
          }),
          t(noMail ? 'details.resetStoredTitle' : 'details.resetSentTitle'),
        ),
      onError: (e) => notifyError(t('errors.title'), errorText(e)),
    });

  const doActivate = () =>
    activate.mutate(u.id, {
      onSuccess: (r) => notifySuccess(t('details.activated', { name: r.name })),
      onError: (e) => notifyError(t('errors.title'), errorText(e)),
    });

  const lockTexts: Record<LockReason, string> = {
    lastAdmin: t('details.lockLastAdmin', { name: u.name }),
    self: t('details.lockSelf'),
    removed: t('details.lockRemoved', { name: u.name, date: fmt.date(u.removedAt) }),
  };
  const describedBy = locked ? lockId : undefined;

  return (
    <Stack gap="lg">
      <Group gap="md" wrap="nowrap">
        <Avatar color="indigo" radius="xl" size={48}>
          {initials(u.name)}
        </Avatar>
        <div style={{ minWidth: 0 }}>
          <Text fw={600} size="lg" style={{ overflowWrap: 'anywhere' }}>
            {u.name}
          </Text>
          <RoleBadge roleId={u.roleId} name={u.roleName} />
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
        <DataList.Item>
          <DataList.ItemLabel>{t('details.lastSignIn')}</DataList.ItemLabel>
          <DataList.ItemValue data-testid="last-sign-in">
            {u.lastSignInAt ? (
              fmt.dateTime(u.lastSignInAt)
            ) : (
              <Text span size="sm" c="dimmed">
                {synced ? t('details.lastSignInNever') : t('details.lastSignInUnknown')}
              </Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>

      <Select
        label={t('details.role')}
        data={(roles.data ?? []).map((r) => ({ value: r.id, label: roleName(r.id, r.name) }))}
        value={u.roleId}
        allowDeselect={false}
        disabled={locked || changeRole.isPending}
        aria-describedby={describedBy}
        onChange={(v) => {
          if (v && v !== u.roleId) setConfirm({ kind: 'role', roleId: v });
        }}
        comboboxProps={{ withinPortal: true }}
      />

      {locked && (
        <Alert
          id={lockId}
          variant="light"
          color={reasons.includes('removed') ? 'red' : 'blue'}
          icon={<IconInfoCircle aria-hidden />}
          title={reasons.includes('lastAdmin') ? t('details.lockLastAdminTitle') : undefined}
        >
          <Stack gap={6}>
            {reasons.map((r) => (
              <Text key={r} size="sm">
                {lockTexts[r]}
              </Text>
            ))}
          </Stack>
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
              disabled={locked}
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
            disabled={locked}
            aria-describedby={describedBy}
          >
            {t('details.remove')}
          </Button>
        </Group>
      </Stack>

      <Divider />

      <EntryHistory subject={u.id} label={u.name} />

      <ConfirmDialog
        opened={confirm !== null}
        title={
          confirm?.kind === 'role'
            ? t('details.changeRoleTitle')
            : confirm?.kind === 'deactivate'
              ? t('details.deactivateTitle', { name: u.name })
              : t('details.removeTitle', { name: u.name })
        }
        confirmLabel={
          confirm?.kind === 'role'
            ? t('details.changeRoleConfirm')
            : confirm?.kind === 'deactivate'
              ? t('details.deactivateConfirm')
              : t('details.removeConfirm')
        }
        destructive={confirm?.kind !== 'role'}
        loading={changeRole.isPending || deactivate.isPending || remove.isPending}
        onConfirm={runConfirmed}
        onCancel={() => setConfirm(null)}
      >
        {confirm?.kind === 'role'
          ? t('details.changeRoleText', {
              name: u.name,
              from: roleName(u.roleId, u.roleName),
              to: newRole ? roleName(newRole.id, newRole.name) : '',
            })
          : confirm?.kind === 'deactivate'
            ? t('details.deactivateText', { name: u.name })
            : t('details.removeText', { name: u.name, email: u.email })}
      </ConfirmDialog>
    </Stack>
  );
}
