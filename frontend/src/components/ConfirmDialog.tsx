import { Button, Group, type MantineColor, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ConfirmDialogProps {
  opened: boolean;
  title: string;
  children: ReactNode;
  /** confirmLabel is the confirming button's text: the action it takes ("Remove user"), never "OK". */
  confirmLabel: string;
  /** destructive draws the confirming button red: the action removes or blocks something. */
  destructive?: boolean;
  color?: MantineColor;
  loading?: boolean;
  /** confirmDisabled keeps the confirming button off until the dialog's input is complete. */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * ConfirmDialog asks before an action that changes someone's access. It stays
 * open while the action runs, so the administrator sees it finish.
 */
export function ConfirmDialog({
  opened,
  title,
  children,
  confirmLabel,
  destructive,
  color,
  loading,
  confirmDisabled,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={() => {
        if (!loading) onCancel();
      }}
      title={title}
      centered
      size="md"
      // A confirmation is a dialog of its own, above the panel that opened it.
      zIndex={300}
    >
      <Stack gap="lg">
        {typeof children === 'string' ? <Text size="sm">{children}</Text> : children}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={loading}>
            {t('common.cancel')}
          </Button>
          <Button
            color={destructive ? 'red' : color}
            data-destructive={destructive || undefined}
            onClick={onConfirm}
            loading={loading}
            disabled={confirmDisabled}
            data-autofocus
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
