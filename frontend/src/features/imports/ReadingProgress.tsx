import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { cancelImportPreview, type ImportProgress, type ImportRow } from '../../api/imports';
import { useErrorText } from '../../i18n';
import { PreviewTable } from './PreviewTable';

interface ReadingProgressProps {
  /** name is the file's, shown while it is read. */
  name: string;
  progress: ImportProgress | null;
  /** firstRows are shown before the rest of the file is read. */
  firstRows: ImportRow[];
  /** Reading a file can be cancelled; storing the invitations cannot. */
  cancellable: boolean;
}

/** ReadingProgress follows reading, checking or storing a file, with its first rows. */
export function ReadingProgress({ name, progress: p, firstRows, cancellable }: ReadingProgressProps) {
  const { t } = useTranslation('imports');
  const errorText = useErrorText();
  const value = p && p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0;
  const label =
    p?.phase === 'sending'
      ? t('reading.sending')
      : p?.phase === 'validating'
        ? t('reading.validating')
        : t('reading.reading', { name });
  const cancel = () =>
    cancelImportPreview().catch((e) => notifications.show({ color: 'red', message: errorText(e) }));
  return (
    <Stack gap="xs">
      <Text size="sm" id="reading-label">
        {label}
      </Text>
      <Progress value={value} animated={!p || value < 100} aria-labelledby="reading-label" />
      {cancellable && (
        <Group justify="flex-end">
          <Button variant="default" onClick={cancel}>
            {t('reading.cancel')}
          </Button>
        </Group>
      )}
      {firstRows.length > 0 && (
        <>
          <Text size="xs" c="dimmed">
            {t('table.firstRows')}
          </Text>
          <PreviewTable rows={firstRows} />
        </>
      )}
    </Stack>
  );
}
