import { notifications } from '@mantine/notifications';
import { IconCheck, IconX } from '@tabler/icons-react';

// Mantine's grey description text is below WCAG AA contrast; use the text colour.
const styles = { description: { color: 'var(--mantine-color-text)' } };

/** notifySuccess reports an action that worked. */
export function notifySuccess(message: string, title?: string) {
  notifications.show({
    color: 'green',
    icon: <IconCheck size={18} aria-hidden />,
    title,
    message,
    autoClose: 6000,
    styles,
  });
}

/** notifyError reports an action that failed, in the backend's words (translated). */
export function notifyError(title: string, message: string) {
  notifications.show({
    color: 'red',
    icon: <IconX size={18} aria-hidden />,
    title,
    message,
    autoClose: 10000,
    styles,
  });
}
