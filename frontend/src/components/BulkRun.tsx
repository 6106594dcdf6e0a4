import { Button, Group, Modal, Progress, Stack, Table, Text } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type BulkAction,
  type BulkProgress,
  type BulkResult,
  cancelBulk,
  onBulkProgress,
  useBulkAction,
} from '../api/bulk';
import { useErrorText } from '../i18n';
import { Breakable } from './Breakable';
import { ConfirmDialog } from './ConfirmDialog';
import { useFormat } from './format';
import { notifyError, notifySuccess } from './notify';

/** PROGRESS_FROM is the selection size from which the confirmation shows a progress bar while it runs. */
export const PROGRESS_FROM = 20;

/** BulkRequest is a bulk action waiting for its confirmation. */
export interface BulkRequest {
  action: BulkAction;
  ids: string[];
  title: string;
  text: ReactNode;
  confirmLabel: string;
  destructive?: boolean;
  /** roleId is the new role of a change of role; the dialog's body asks for it. */
  roleId?: string;
  /** success is the notification when every row was done. */
  success: (done: number) => string;
}

/**
 * useBulkRun asks for one confirmation of a bulk action (naming the action
 * and how many rows), runs it with a progress bar and a Stop button for large
 * selections, and reports the result: a notification when every row was done,
 * otherwise a dialog that lists each row that failed and why. onFinished gets
 * the result, so the page can keep the failed rows selected. Render `dialogs` once.
 */
export function useBulkRun(onFinished: (result: BulkResult) => void) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const mutation = useBulkAction();
  const [request, setRequest] = useState<BulkRequest | null>(null);
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const [result, setResult] = useState<{ request: BulkRequest; result: BulkResult } | null>(null);
  const [stopping, setStopping] = useState(false);
  const running = mutation.isPending;

  useEffect(() => {
    if (!running) return;
    return onBulkProgress(setProgress);
  }, [running]);

  const confirm = (req: BulkRequest) => {
    setProgress(null);
    setStopping(false);
    mutation.mutate(
      { action: req.action, ids: req.ids, roleId: req.roleId },
      {
        onSuccess: (res) => {
          setRequest(null);
          onFinished(res);
          if (res.failed.length === 0 && !res.canceled) {
            notifySuccess(req.success(res.done));
          } else {
            setResult({ request: req, result: res });
          }
        },
        onError: (e) => {
          setRequest(null);
          notifyError(t('errors.title'), errorText(e));
        },
      },
    );
  };

  const n = (c: number) => ({ count: c, formatted: fmt.number(c) });
  const showProgress = running && (request?.ids.length ?? 0) >= PROGRESS_FROM;
  const done = progress?.done ?? 0;
  const total = progress?.total ?? request?.ids.length ?? 0;

  const dialogs = (
    <>
      <ConfirmDialog
        opened={request !== null}
        title={request?.title ?? ''}
        confirmLabel={request?.confirmLabel ?? ''}
        destructive={request?.destructive}
        loading={running}
        confirmDisabled={request?.action === 'changeRole' && !request.roleId}
        onConfirm={() => request && confirm(request)}
        onCancel={() => setRequest(null)}
      >
        <Stack gap="sm">
          {typeof request?.text === 'string' ? <Text size="sm">{request.text}</Text> : request?.text}
          {showProgress && (
            <Stack gap={4}>
              <Group justify="space-between">
                <Text size="sm" id="bulk-progress-label">
                  {t('bulk.progress', { done: fmt.number(done), total: fmt.number(total) })}
                </Text>
                <Button
                  variant="default"
                  size="compact-sm"
                  loading={stopping}
                  onClick={() => {
                    setStopping(true);
                    void cancelBulk();
                  }}
                >
                  {t('bulk.stop')}
                </Button>
              </Group>
              <Progress
                value={total > 0 ? (100 * done) / total : 0}
                animated
                aria-labelledby="bulk-progress-label"
              />
            </Stack>
          )}
        </Stack>
      </ConfirmDialog>
      <Modal
        opened={result !== null}
        onClose={() => setResult(null)}
        title={t('bulk.resultTitle')}
        centered
        size="lg"
        zIndex={300}
        // One way out, named: the Close button below (Escape works too).
        withCloseButton={false}
      >
        {result && (
          <Stack gap="md">
            <Text size="sm">
              {t('bulk.resultDone', { ...n(result.result.done), total: fmt.number(result.result.total) })}
              {result.result.canceled &&
                ` ${t('bulk.resultCanceled', n(result.result.total - result.result.done - result.result.failed.length))}`}
            </Text>
            {result.result.failed.length > 0 && (
              <>
                <Text size="sm" fw={600}>
                  {t('bulk.resultFailed', n(result.result.failed.length))}
                </Text>
                <Table.ScrollContainer minWidth={0} mah={320}>
                  <Table aria-label={t('bulk.failedTable')} verticalSpacing={6} striped>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th w="40%">{t('bulk.failedEmail')}</Table.Th>
                        <Table.Th>{t('bulk.failedReason')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {result.result.failed.map((f) => (
                        <Table.Tr key={f.id}>
                          <Table.Td style={{ overflowWrap: 'anywhere' }}>
                            {f.label ? <Breakable text={f.label} /> : t('bulk.failedGone')}
                          </Table.Td>
                          <Table.Td>{errorText(f.error)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </>
            )}
            <Group justify="flex-end">
              <Button onClick={() => setResult(null)} data-autofocus>
                {t('app.close')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );

  return { ask: setRequest, running, request, setRequest, dialogs };
}
