import { Anchor, Group } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useConflicts } from '../../api/conflicts';
import { routeHash } from '../../router';

/** ConflictsLink leads from the Sync section to its Conflicts screen, saying how many there are. */
export function ConflictsLink() {
  const { t } = useTranslation('conflicts');
  const conflicts = useConflicts();
  const n = conflicts.data?.length ?? 0;
  return (
    <Group gap={6}>
      {n > 0 && (
        <IconAlertTriangle
          size={16}
          aria-hidden
          color="light-dark(var(--mantine-color-orange-9), var(--mantine-color-orange-4))"
        />
      )}
      <Anchor href={routeHash({ page: 'admin', section: 'sync/conflicts' })} size="sm">
        {n > 0 ? t('count', { count: n }) : t('title')}
      </Anchor>
    </Group>
  );
}
