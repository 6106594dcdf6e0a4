import { Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCloudUp } from '@tabler/icons-react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * SyncMarker is the small icon a row of the Users or Invitations list gets
 * while a change of it waits for sync ("waiting") or was refused by the
 * server ("conflict"); nothing for the other rows. Its label is its
 * accessible name and its tooltip.
 */
export const SyncMarker = memo(function SyncMarker({ mark }: { mark: string | undefined }) {
  const { t } = useTranslation('conflicts');
  if (mark !== 'conflict' && mark !== 'waiting') return null;
  const label = t(`mark.${mark}`);
  const Icon = mark === 'conflict' ? IconAlertTriangle : IconCloudUp;
  return (
    <Tooltip label={label} withArrow openDelay={200}>
      <span
        role="img"
        aria-label={label}
        data-sync={mark}
        style={{
          display: 'inline-flex',
          verticalAlign: '-2px',
          marginInlineStart: 6,
          color:
            mark === 'conflict'
              ? 'light-dark(var(--mantine-color-orange-9), var(--mantine-color-orange-4))'
              : 'var(--mantine-color-dimmed)',
        }}
      >
        <Icon size={15} stroke={1.8} aria-hidden />
      </span>
    </Tooltip>
  );
});
