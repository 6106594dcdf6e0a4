import { Alert, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type AppError, toAppError } from '../../api/client';
import {
  discardImport,
  findImports,
  isDesktop,
  onFileDrop,
  onImportProgress,
  previewImportFile,
  useSendImport,
} from '../../api/imports';
import { useErrorText } from '../../i18n';
import { DropArea, type FileLoader } from './DropArea';
import { Preview } from './Preview';
import { ReadingProgress } from './ReadingProgress';
import { SendProgress } from './SendProgress';
import { busy, shown, useImportPhase } from './useImportPhase';

/**
 * InviteMultipleDialog is the guide's "Invite multiple users": the template,
 * the upload (native drop and open dialog in the window, the browser's in a
 * browser), the preview with every bad row marked and correctable, and
 * "Send invitations". The preview lives in Go, so a reloaded window finds it
 * again. Where the dialog is, is one ImportPhase (see useImportPhase).
 */
export function InviteMultipleDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('imports');
  const errorText = useErrorText();
  const [phase, dispatch] = useImportPhase();
  const sendImport = useSendImport();
  // The phase as of the last render, for the callbacks that start work.
  const phaseRef = useRef(phase);
  phaseRef.current = phase;

  /** discard forgets a preview in Go; a failure is reported, and the dialog goes on. */
  const discard = (id: string) =>
    discardImport(id).catch((e) => notifications.show({ color: 'red', message: errorText(e) }));

  // A preview still open in Go (the window was reloaded) is picked up again.
  useEffect(() => {
    if (!opened) return;
    let live = true;
    findImports()
      .then((list) => {
        const open = list.filter((p) => !p.sentAt || p.summary.valid > 0);
        if (live && open.length > 0) dispatch({ type: 'found', current: open[open.length - 1] });
      })
      .catch((e) => live && dispatch({ type: 'failed', error: toAppError(e) }));
    return () => {
      live = false;
    };
  }, [opened, dispatch]);

  /** read turns a file into a preview, following the reading's progress; it replaces the one shown. */
  const read = async (name: string, load: FileLoader) => {
    if (busy(phaseRef.current)) return;
    const previous = shown(phaseRef.current);
    dispatch({ type: 'read', name });
    const off = onImportProgress((progress) => dispatch({ type: 'progress', progress }));
    try {
      const next = await load();
      if (next && previous) void discard(previous.id);
      dispatch({ type: 'loaded', next });
    } catch (e) {
      dispatch({ type: 'failed', error: toAppError(e) });
    } finally {
      off();
    }
  };
  const readRef = useRef(read);
  readRef.current = read;

  // In the window, a file dropped anywhere on it while the dialog is open is read.
  useEffect(() => {
    if (!opened || !isDesktop) return;
    return onFileDrop(
      (path) => void readRef.current(path.split(/[/\\]/).pop() ?? path, () => previewImportFile(path)),
    );
  }, [opened]);

  const close = () => {
    // A file being read or sent is left to finish; the next opening finds its preview.
    if (phase.kind === 'preview' || phase.kind === 'sent') void discard(phase.current.id);
    dispatch({ type: 'reset' });
    onClose();
  };

  const send = async (id: string) => {
    dispatch({ type: 'send' });
    const off = onImportProgress((progress) => dispatch({ type: 'progress', progress }));
    try {
      dispatch({ type: 'sent', result: await sendImport.mutateAsync(id) });
    } catch (e) {
      dispatch({ type: 'failed', error: toAppError(e) });
    } finally {
      off();
    }
  };

  const error = phase.kind === 'upload' || phase.kind === 'preview' ? phase.error : null;
  return (
    <Modal opened={opened} onClose={close} title={t('title')} size="min(1100px, 92vw)" centered>
      <Stack gap="md">
        {phase.kind === 'upload' && <DropArea onFile={read} />}
        {phase.kind === 'reading' && (
          <ReadingProgress
            name={phase.name}
            progress={phase.progress}
            firstRows={phase.firstRows}
            cancellable
          />
        )}
        {phase.kind === 'sending' && (
          <ReadingProgress
            name={phase.current.file.name}
            progress={phase.progress}
            firstRows={[]}
            cancellable={false}
          />
        )}
        {error && <ErrorAlert error={error} />}
        {phase.kind === 'preview' && (
          <Preview
            key={phase.current.id}
            current={phase.current}
            onEdited={(summary) => dispatch({ type: 'edited', summary })}
            onAnother={() => {
              void discard(phase.current.id);
              dispatch({ type: 'reset' });
            }}
            onSend={() => send(phase.current.id)}
          />
        )}
        {phase.kind === 'sent' && <SendProgress result={phase.result} onDone={close} />}
      </Stack>
    </Modal>
  );
}

/** ErrorAlert shows a backend error in the window's language. */
function ErrorAlert({ error }: { error: AppError }) {
  const errorText = useErrorText();
  return (
    <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert">
      <Text size="sm">{errorText(error)}</Text>
    </Alert>
  );
}
