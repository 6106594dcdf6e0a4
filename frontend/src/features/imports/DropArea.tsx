import { ActionIcon, Button, Group, Menu, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconDownload, IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import {
  downloadTemplate,
  type Import,
  isDesktop,
  openImportFile,
  previewImportData,
  type TemplateFormat,
} from '../../api/imports';
import { useErrorText } from '../../i18n';
import classes from './Imports.module.css';

const ACCEPT = {
  'text/csv': ['.csv'],
  'text/plain': ['.txt'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
};

/** FileLoader reads a file into a preview; null when the open dialog was cancelled. */
export type FileLoader = () => Promise<Import | null>;

/**
 * DropArea offers the templates and takes the completed file: in the window
 * from the native open dialog (a native drop is taken anywhere on the
 * window, see InviteMultipleDialog), in a browser from its own upload.
 */
export function DropArea({ onFile }: { onFile: (name: string, load: FileLoader) => void }) {
  const { t } = useTranslation('imports');
  const errorText = useErrorText();
  const openRef = useRef<() => void>(null);

  const template = async (format: TemplateFormat) => {
    try {
      const path = await downloadTemplate(format);
      if (path) notifications.show({ color: 'teal', message: t('template.saved', { path }) });
    } catch (e) {
      notifications.show({ color: 'red', message: errorText(e) });
    }
  };

  const choose = () => {
    if (isDesktop) onFile('', openImportFile);
    else openRef.current?.();
  };

  return (
    <>
      <Text size="sm">{t('steps')}</Text>
      <Group gap={0}>
        <Button
          leftSection={<IconDownload size={16} aria-hidden />}
          variant="light"
          onClick={() => template('csv')}
          className={classes.splitLeft}
        >
          {t('template.download')}
        </Button>
        <Menu position="bottom-end">
          <Menu.Target>
            <ActionIcon
              variant="light"
              size={36}
              className={classes.splitRight}
              aria-label={t('template.more')}
            >
              <IconChevronDown size={16} aria-hidden />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item
              leftSection={<IconFileSpreadsheet size={16} aria-hidden />}
              onClick={() => template('xlsx')}
            >
              {t('template.xlsx')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <Dropzone
        openRef={openRef}
        onDrop={(files) => {
          const file = files[0];
          if (file) onFile(file.name, () => previewImportData(file));
        }}
        onReject={() => notifications.show({ color: 'red', message: t('drop.reject') })}
        accept={ACCEPT}
        multiple={false}
        activateOnClick={false}
        className={classes.dropzone}
        aria-label={t('drop.area')}
      >
        <Stack align="center" gap="xs" py="xl" style={{ pointerEvents: 'none' }}>
          <IconUpload size={40} stroke={1.5} aria-hidden />
          <Text fw={600}>{t('drop.title')}</Text>
          <Text size="sm" c="dimmed">
            {t('drop.hint')}
          </Text>
        </Stack>
      </Dropzone>
      <Group justify="center">
        <Button variant="default" onClick={choose}>
          {t('drop.choose')}
        </Button>
      </Group>
    </>
  );
}
