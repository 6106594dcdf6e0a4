import type { MantineColor } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { type CSSProperties, memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import classes from './badges.module.css';
import { roleDisplayName } from './roleName';

function tone(color: MantineColor): CSSProperties {
  return {
    '--tone-bg': `var(--mantine-color-${color}-light)`,
    '--tone-color': `var(--mantine-color-${color}-light-color)`,
    // Grey's filled shade is as dark as a dot badge's dark background: use a light shade there.
    '--tone-dot': `light-dark(var(--mantine-color-${color}-filled), var(--mantine-color-${color}-4))`,
  } as CSSProperties;
}

/** Tag is a badge whose text keeps 4.5:1 contrast in both schemes ("dot" shows the colour as a dot). */
export function Tag({
  variant,
  color,
  icon,
  children,
}: {
  variant: 'light' | 'dot' | 'outline';
  color: MantineColor;
  icon?: ReactNode;
  children: ReactNode;
}) {
  return (
    <span className={`${classes.badge} ${classes[variant]}`} style={tone(color)}>
      {icon}
      <span className={classes.label}>{children}</span>
    </span>
  );
}

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
    <Tag variant="dot" color={statusColors[status] ?? 'gray'}>
      {t(`status.${status}`, { defaultValue: status })}
    </Tag>
  );
});

// Custom roles get one of these colours, the same one for the same name.
// (Only palettes whose light variant has 4.5:1 contrast.)
const customColors: MantineColor[] = ['cyan', 'pink', 'violet', 'blue', 'indigo'];

/** roleColor is the colour of a role's badge: Administrator stands out, User is grey. */
export function roleColor(roleId: string, name: string): MantineColor {
  if (roleId === 'administrator') return 'grape';
  if (roleId === 'user') return 'gray';
  let h = 0;
  for (const c of name) h = (h * 31 + (c.codePointAt(0) ?? 0)) >>> 0;
  return customColors[h % customColors.length] ?? 'cyan';
}

/** RoleBadge shows a role's name; Administrator stands out with its own colour and a shield. */
export const RoleBadge = memo(function RoleBadge({ roleId, name }: { roleId: string; name: string }) {
  const { t } = useTranslation();
  const admin = roleId === 'administrator';
  return (
    <Tag
      variant="light"
      color={roleColor(roleId, name)}
      icon={admin ? <IconShieldCheck size={13} stroke={2} aria-hidden className={classes.icon} /> : undefined}
    >
      {roleDisplayName(t, roleId, name)}
    </Tag>
  );
});

const deliveryColors: Record<string, MantineColor> = {
  queued: 'gray',
  sending: 'blue',
  sent: 'green',
  failed: 'red',
  cancelled: 'gray',
};

/**
 * DeliveryBadge shows where an invitation's email stands: queued, sending, sent, failed;
 * "No email" when no email carries the current link (a link made to be copied).
 */
export function DeliveryBadge({ delivery }: { delivery: string }) {
  const { t } = useTranslation();
  const state = delivery || 'none';
  return (
    <Tag variant="dot" color={deliveryColors[state] ?? 'gray'}>
      {t(`delivery.${state}`, { defaultValue: state })}
    </Tag>
  );
}

/** OutlineBadge is a small neutral tag, such as "Built-in". */
export function OutlineBadge({ icon, children }: { icon?: ReactNode; children: ReactNode }) {
  return (
    <Tag variant="outline" color="gray" icon={icon}>
      {children}
    </Tag>
  );
}
