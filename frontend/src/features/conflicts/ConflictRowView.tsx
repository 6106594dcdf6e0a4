import { Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConflictRow } from '../../api/conflicts';
import { Breakable } from '../../components/Breakable';
import { RoleBadge, StatusBadge } from '../../components/badges';

/** ConflictRowView shows a member, an invitation or a role of a conflict, one field a line. */
export function ConflictRowView({ row }: { row: ConflictRow }) {
  const { t } = useTranslation('conflicts');
  const { t: tt } = useTranslation();
  if (row.missing) {
    return (
      <Text size="sm" fs="italic">
        {t(`missing.${row.entity}`)}
      </Text>
    );
  }
  const line = (label: string, value: React.ReactNode) => (
    <Group gap="xs" wrap="nowrap" align="baseline">
      <Text size="sm" c="dimmed" w={130} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <div style={{ minWidth: 0, fontSize: 'var(--mantine-font-size-sm)' }}>{value}</div>
    </Group>
  );
  return (
    <Stack gap={6}>
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        {t(`entity.${row.entity}`)}
      </Text>
      {row.entity === 'role' ? (
        <>
          {line(t('field.name'), <RoleBadge roleId={row.id} name={row.name} />)}
          {line(
            t('field.permissions'),
            row.permissions.map((p) => tt(`permissions.${p}`, { defaultValue: p })).join(', ') || '—',
          )}
        </>
      ) : (
        <>
          {row.name && line(t('field.name'), <Breakable text={row.name} />)}
          {row.email && line(t('field.email'), <Breakable text={row.email} />)}
          {row.roleId && line(t('field.role'), <RoleBadge roleId={row.roleId} name={row.roleName} />)}
          {row.status && line(t('field.status'), <StatusBadge status={row.status} />)}
        </>
      )}
    </Stack>
  );
}
