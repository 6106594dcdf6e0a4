import { Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFileSpreadsheet, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Import, type ImportSummary, saveRejectedRows, useImportRows } from '../../api/imports';
import { TablePager } from '../../components/TablePager';
import { usePageOffset } from '../../components/usePageOffset';
import { useErrorText } from '../../i18n';
import { PreviewSummary, ReasonCounts } from './PreviewSummary';
import { PreviewTable } from './PreviewTable';

const PAGE_SIZE = 100;

interface PreviewProps {
  current: Import;
  onEdited: (summary: ImportSummary) => void;
  onAnother: () => void;
  onSend: () => void;
}

/** Preview shows a file's rows, their problems, and sends the valid ones. */
export function Preview({ current, onEdited, onAnother, onSend }: PreviewProps) {
  const { t } = useTranslation('imports');
  const errorText = useErrorText();
  const s = current.summary;
  const [attention, setAttention] = useState(s.invalid + s.lookalike > 0);
  const [offset, setOffset] = usePageOffset({ attention });
  const rows = useImportRows(current.id, { offset, limit: PAGE_SIZE, needsAttention: attention });
  const toSend = s.valid;
  const f = current.file;
  const separator =
    { ',': t('file.comma'), ';': t('file.semicolon'), '\t': t('file.tab') }[f.separator] ?? f.separator;

  const saveRejected = async () => {
    try {
      const path = await saveRejectedRows(current.id);
      if (path) notifications.show({ color: 'teal', message: t('actions.rejectedSaved', { path }) });
    } catch (e) {
      notifications.show({ color: 'red', message: errorText(e) });
    }
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="xs">
            <IconFileSpreadsheet size={18} aria-hidden />
            <Text fw={600}>{f.name}</Text>
          </Group>
          <Text size="xs" c="dimmed">
            {f.kind === 'xlsx'
              ? t('file.xlsx', { sheet: f.sheet })
              : t('file.csv', { encoding: f.encoding, separator })}
          </Text>
        </div>
        <Button variant="subtle" size="xs" onClick={onAnother}>
          {t('file.another')}
        </Button>
      </Group>
      <PreviewSummary summary={s} />
      {s.invalid > 0 && <ReasonCounts summary={s} />}
      {s.invalid === 0 && (
        <Text size="sm" c="teal.8">
          {t('summary.allValid')}
        </Text>
      )}
      <SegmentedControl
        aria-label={t('table.filter')}
        w="fit-content"
        size="xs"
        value={attention ? 'attention' : 'all'}
        onChange={(v) => setAttention(v === 'attention')}
        data={[
          { value: 'all', label: t('table.all') },
          { value: 'attention', label: t('table.needsAttention') },
        ]}
      />
      {rows.data && rows.data.rows.length === 0 ? (
        <Text size="sm" c="dimmed" py="md">
          {t('table.empty')}
        </Text>
      ) : (
        <>
          <PreviewTable
            rows={rows.data?.rows ?? []}
            edit={{ importID: current.id, roles: current.roles, onEdited }}
          />
          {rows.data && (
            <TablePager offset={offset} limit={PAGE_SIZE} total={rows.data.total} onOffset={setOffset} />
          )}
        </>
      )}
      <Group justify="space-between" mt="xs">
        <div>
          {s.invalid > 0 && (
            <Button
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
              onClick={saveRejected}
            >
              {t('actions.saveRejected')}
            </Button>
          )}
        </div>
        <Button leftSection={<IconSend size={16} aria-hidden />} disabled={toSend <= 0} onClick={onSend}>
          {toSend > 0 ? t('actions.sendCount', { count: toSend }) : t('actions.send')}
        </Button>
      </Group>
    </Stack>
  );
}
