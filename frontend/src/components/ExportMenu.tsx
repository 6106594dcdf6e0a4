import { Button, Menu } from '@mantine/core';
import { IconFileExport, IconFileSpreadsheet, IconFileTypeCsv } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ExportFormat } from '../api/users';
import { useErrorText } from '../i18n';
import { notifyError, notifySuccess } from './notify';

interface ExportMenuProps {
  /** run exports in the format and resolves with the saved path ("" when the save dialog was cancelled). */
  run: (format: ExportFormat) => Promise<string>;
  loading?: boolean;
}

/** ExportMenu saves the current list as CSV or Excel through the save dialog and says where it went. */
export function ExportMenu({ run, loading }: ExportMenuProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const start = async (format: ExportFormat) => {
    try {
      const path = await run(format);
      if (path) notifySuccess(t('common.exportedTo', { path }), t('common.exported'));
    } catch (e) {
      notifyError(t('common.exportFailed'), errorText(e));
    }
  };
  return (
    <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconFileExport size={18} stroke={1.6} aria-hidden />}
          loading={loading}
        >
          {t('common.export')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconFileTypeCsv size={16} aria-hidden />} onClick={() => start('csv')}>
          {t('common.exportCsv')}
        </Menu.Item>
        <Menu.Item leftSection={<IconFileSpreadsheet size={16} aria-hidden />} onClick={() => start('xlsx')}>
          {t('common.exportXlsx')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
