import { Badge, type MantineColor } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';

const statusColors: Record<string, MantineColor> = {
  active: 'green',
  inactive: 'gray',
  pending: 'blue',
  expired: 'orange',
  removed: 'red',
  accepted: 'green',
  deleted: 'gray',
};

/** StatusBadge shows the status of a member or invitation: Active, Inactive, Pending, Expired, Removed. */
export const StatusBadge = memo(function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="dot" color={statusColors[status] ?? 'gray'} size="md" tt="none" fw={600}>
      {t(`status.${status}`, { defaultValue: status })}
    </Badge>
  );
});

// Custom roles get one of these colours, the same one for the same name.
// (Only palettes whose light variant has 4.5:1 contrast.)
const customColors: MantineColor[] = ['cyan', 'pink', 'violet', 'blue', 'indigo'];

function roleColor(roleId: string, name: string): MantineColor {
  if (roleId === 'administrator') return 'grape';
  if (roleId === 'user') return 'gray';
  let h = 0;
  for (const c of name) h = (h * 31 + (c.codePointAt(0) ?? 0)) >>> 0;
  return customColors[h % customColors.length] ?? 'cyan';
}

/** RoleBadge shows a role's name; Administrator stands out with its own colour and a shield. */
export const RoleBadge = memo(function RoleBadge({ roleId, name }: { roleId: string; name: string }) {
  const admin = roleId === 'administrator';
  return (
    <Badge
      variant="light"
      color={roleColor(roleId, name)}
      size="md"
      tt="none"
      fw={600}
      leftSection={admin ? <IconShieldCheck size={13} stroke={2} aria-hidden /> : undefined}
      maw="100%"
    >
      {name}
    </Badge>
  );
});

const deliveryColors: Record<string, MantineColor> = {
  queued: 'gray',
  sending: 'blue',
  sent: 'green',
  failed: 'red',
  cancelled: 'gray',
};

/** DeliveryBadge shows where an invitation's email stands: queued, sending, sent, failed. */
export function DeliveryBadge({ delivery }: { delivery: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="dot" color={deliveryColors[delivery] ?? 'gray'} size="md" tt="none" fw={600}>
      {t(`delivery.${delivery}`, { defaultValue: delivery || '—' })}
    </Badge>
  );
}
