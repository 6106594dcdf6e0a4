import {
  ActionIcon,
  Alert,
  Button,
  Group,
  List,
  Menu,
  Modal,
  Pagination,
  Progress,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { notifications } from '@mantine/notifications';
import {
  IconAlertTriangle,
  IconCheck,
  IconChevronDown,
  IconDownload,
  IconFileSpreadsheet,
  IconPencil,
  IconSend,
  IconUpload,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OnFileDrop, OnFileDropOff } from '../../../wailsjs/runtime/runtime';
import { type AppError, toAppError } from '../../api/client';
import {
  emailKeys,
  type OutboxProgress,
  onOutboxProgress,
  useEmailSettings,
  useMailQueue,
} from '../../api/email';
import {
  cancelImportPreview,
  discardImport,
  downloadTemplate,
  findImports,
  type Import,
  type ImportProgress,
  type ImportRow,
  type ImportSendResult,
  type ImportSummary,
  importKeys,
  onImportProgress,
  openImportFile,
  previewImportData,
  previewImportFile,
  saveRejectedRows,
  sendImport,
  type TemplateFormat,
  useImportRows,
  useUpdateImportRow,
} from '../../api/imports';
import { Tag } from '../../components/badges';
import { useErrorText } from '../../i18n';
import classes from './Imports.module.css';

const PAGE_SIZE = 100;

/** isDesktop is true in Roster's own window, where files come as paths (native dialog and drop). */
const isDesktop = typeof window !== 'undefined' && !window.location.protocol.startsWith('http');

const ACCEPT = {
  'text/csv': ['.csv'],
  'text/plain': ['.txt'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['.xlsx'],
};

/** The summary's counters of each reason a row can fail for, in the order they are listed. */
const REASONS: (keyof ImportSummary)[] = [
  'missingEmail',
  'invalidEmail',
  'duplicate',
  'member',
  'invited',
  'missingRole',
  'unknownRole',
  'extraColumns',
  'tooLong',
  'malformed',
];

interface Reading {
  name: string;
  progress: ImportProgress | null;
  /** Reading a file can be cancelled; storing the invitations cannot. */
  cancellable: boolean;
}

/**
 * InviteMultipleDialog is the guide's "Invite multiple users": the template,
 * the upload (native drop and open dialog in the window, the browser's in a
 * browser), the preview with every bad row marked and correctable, and
 * "Send invitations". The preview lives in Go, so a reloaded window finds it again.
 */
export function InviteMultipleDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('imports');
  const qc = useQueryClient();
  const [current, setCurrent] = useState<Import | null>(null);
  const [reading, setReading] = useState<Reading | null>(null);
  const [firstRows, setFirstRows] = useState<ImportRow[]>([]);
  const [fileError, setFileError] = useState<AppError | null>(null);
  const [result, setResult] = useState<ImportSendResult | null>(null);

  // A preview still open in Go (the window was reloaded) is picked up again.
  useEffect(() => {
    if (!opened) return;
    let live = true;
    findImports()
      .then((list) => {
        const open = list.filter((p) => !p.sentAt || p.summary.sent < p.summary.valid);
        if (live && open.length > 0) setCurrent(open[open.length - 1]);
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [opened]);

  /** read turns a file into a preview, following the reading's progress. */
  const read = useCallback(
    async (name: string, load: () => Promise<Import | null>) => {
      setFileError(null);
      setResult(null);
      setFirstRows([]);
      setReading({ name, progress: null, cancellable: true });
      const off = onImportProgress((p) => {
        if (p.firstRows?.length) setFirstRows(p.firstRows);
        setReading((r) => (r ? { ...r, progress: p } : r));
      });
      try {
        const next = await load();
        if (next) {
          if (current) discardImport(current.id).catch(() => {});
          setCurrent(next);
        }
      } catch (e) {
        const err = toAppError(e);
        if (err.code !== 'canceled') setFileError(err);
      } finally {
        off();
        setReading(null);
      }
    },
    [current],
  );

  // In the window, a file dropped anywhere on it while the dialog is open is read.
  useEffect(() => {
    if (!opened || !isDesktop) return;
    OnFileDrop((_x, _y, paths) => {
      const path = paths?.[0];
      if (path) void read(path.split(/[/\\]/).pop() ?? path, () => previewImportFile(path));
    }, false);
    return () => OnFileDropOff();
  }, [opened, read]);

  const close = () => {
    if (current && !reading) discardImport(current.id).catch(() => {});
    setCurrent(null);
    setResult(null);
    setFileError(null);
    setFirstRows([]);
    onClose();
  };

  const send = async () => {
    if (!current) return;
    setReading({ name: current.file.name, progress: null, cancellable: false });
    const off = onImportProgress((p) => setReading((r) => (r ? { ...r, progress: p } : r)));
    try {
      const res = await sendImport(current.id);
      setResult(res);
      setCurrent({ ...current, summary: res.summary });
      await qc.invalidateQueries();
    } catch (e) {
      setFileError(toAppError(e));
      await qc.invalidateQueries({ queryKey: importKeys.one(current.id) });
    } finally {
      off();
      setReading(null);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t('title')} size="min(1100px, 92vw)" centered>
      <Stack gap="md">
        {!current && !reading && !result && <Upload onFile={read} />}
        {reading && <ReadingProgress reading={reading} rows={firstRows} />}
        {fileError && (
          <Alert color="red" icon={<IconAlertTriangle aria-hidden />} role="alert">
            <ErrorText error={fileError} />
          </Alert>
        )}
        {result && current ? (
          <SendResult result={result} onDone={close} />
        ) : (
          current &&
          !reading && (
            <Preview
              key={current.id}
              current={current}
              onChange={setCurrent}
              onAnother={() => {
                discardImport(current.id).catch(() => {});
                setCurrent(null);
                setFileError(null);
              }}
              onSend={send}
            />
          )
        )}
      </Stack>
    </Modal>
  );
}

/** ErrorText shows a backend error in the window's language. */
function ErrorText({ error }: { error: AppError }) {
  const errorText = useErrorText();
  return <Text size="sm">{errorText(error)}</Text>;
}

/** Upload offers the templates and takes the completed file. */
function Upload({ onFile }: { onFile: (name: string, load: () => Promise<Import | null>) => void }) {
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

/** ReadingProgress follows reading, checking or storing a file, with its first rows. */
function ReadingProgress({ reading, rows }: { reading: Reading; rows: ImportRow[] }) {
  const { t } = useTranslation('imports');
  const p = reading.progress;
  const value = p && p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0;
  const label =
    p?.phase === 'sending'
      ? t('reading.sending')
      : p?.phase === 'validating'
        ? t('reading.validating')
        : t('reading.reading', { name: reading.name });
  return (
    <Stack gap="xs">
      <Text size="sm" id="reading-label">
        {label}
      </Text>
      <Progress value={value} animated={!p || value < 100} aria-labelledby="reading-label" />
      {reading.cancellable && (
        <Group justify="flex-end">
          <Button variant="default" onClick={() => cancelImportPreview().catch(() => {})}>
            {t('reading.cancel')}
          </Button>
        </Group>
      )}
      {rows.length > 0 && (
        <>
          <Text size="xs" c="dimmed">
            {t('table.firstRows')}
          </Text>
          <RowsTable rows={rows} roles={[]} editable={false} onEdited={() => {}} currentID="" />
        </>
      )}
    </Stack>
  );
}

/** Preview shows a file's rows, their problems, and sends the valid ones. */
function Preview({
  current,
  onChange,
  onAnother,
  onSend,
}: {
  current: Import;
  onChange: (p: Import) => void;
  onAnother: () => void;
  onSend: () => void;
}) {
  const { t } = useTranslation('imports');
  const errorText = useErrorText();
  const s = current.summary;
  const [onlyInvalid, setOnlyInvalid] = useState(s.invalid > 0);
  const [page, setPage] = useState(1);
  const params = { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, onlyInvalid };
  const rows = useImportRows(current.id, params);
  const pages = Math.max(1, Math.ceil((rows.data?.total ?? 0) / PAGE_SIZE));
  const toSend = s.valid - s.sent;
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
      <Group gap="xs" aria-live="polite">
        <Tag variant="dot" color="gray">
          {t('summary.rows', { count: s.rows })}
        </Tag>
        <Tag variant="dot" color="teal">
          {t('summary.ready', { count: toSend })}
        </Tag>
        {s.invalid > 0 && (
          <Tag variant="dot" color="red">
            {t('summary.attention', { count: s.invalid })}
          </Tag>
        )}
        {s.sent > 0 && (
          <Tag variant="dot" color="indigo">
            {t('summary.sent', { count: s.sent })}
          </Tag>
        )}
        {s.blankRows > 0 && (
          <Text size="xs" c="dimmed">
            {t('summary.blank', { count: s.blankRows })}
          </Text>
        )}
      </Group>
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
        value={onlyInvalid ? 'invalid' : 'all'}
        onChange={(v) => {
          setOnlyInvalid(v === 'invalid');
          setPage(1);
        }}
        data={[
          { value: 'all', label: t('table.all') },
          { value: 'invalid', label: t('table.onlyInvalid') },
        ]}
      />
      {rows.data && rows.data.rows.length === 0 ? (
        <Text size="sm" c="dimmed" py="md">
          {t('table.empty')}
        </Text>
      ) : (
        <RowsTable
          rows={rows.data?.rows ?? []}
          roles={current.roles}
          editable
          currentID={current.id}
          onEdited={(summary) => onChange({ ...current, summary })}
        />
      )}
      {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" />}
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

/** ReasonCounts lists how many rows fail for each reason. */
function ReasonCounts({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation('imports');
  return (
    <Group gap={6}>
      {REASONS.filter((r) => (summary[r] as number) > 0).map((r) => (
        <Tag key={r} variant="outline" color="red">
          {t(`reasons.${r}`)}: {summary[r] as number}
        </Tag>
      ))}
    </Group>
  );
}

/** RowsTable shows rows with their problems; invalid ones can be corrected in place. */
function RowsTable({
  rows,
  roles,
  editable,
  currentID,
  onEdited,
}: {
  rows: ImportRow[];
  roles: string[];
  editable: boolean;
  currentID: string;
  onEdited: (s: ImportSummary) => void;
}) {
  const { t } = useTranslation('imports');
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <Table.ScrollContainer minWidth={700} maxHeight={420}>
      <Table stickyHeader striped={false} highlightOnHover verticalSpacing={6} className={classes.rows}>
        <Table.Caption className={classes.caption}>{t('table.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>{t('table.row')}</Table.Th>
            <Table.Th>{t('table.email')}</Table.Th>
            <Table.Th w={170}>{t('table.role')}</Table.Th>
            <Table.Th>{t('table.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) =>
            editing === r.row ? (
              <EditRow
                key={r.row}
                row={r}
                roles={roles}
                importID={currentID}
                onDone={(summary) => {
                  setEditing(null);
                  if (summary) onEdited(summary);
                }}
              />
            ) : (
              <Table.Tr key={r.row} data-invalid={!r.valid || undefined}>
                <Table.Td>{r.row}</Table.Td>
                <Table.Td className={classes.cell}>{r.email}</Table.Td>
                <Table.Td className={classes.cell}>{r.role}</Table.Td>
                <Table.Td>
                  <RowStatus
                    row={r}
                    onEdit={editable && !r.valid && !r.sent ? () => setEditing(r.row) : undefined}
                  />
                </Table.Td>
              </Table.Tr>
            ),
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** RowStatus says whether a row is ready, sent, or what is wrong with it. */
function RowStatus({ row, onEdit }: { row: ImportRow; onEdit?: () => void }) {
  const { t } = useTranslation('imports');
  const errorText = useErrorText();
  if (row.sent)
    return (
      <Tag variant="dot" color="indigo">
        {t('table.sent')}
      </Tag>
    );
  if (row.valid)
    return (
      <Tag variant="dot" color="teal">
        {t('table.ok')}
      </Tag>
    );
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between">
      <List size="sm" spacing={2} className={classes.issues}>
        {row.issues.map((issue) => (
          <List.Item key={`${issue.key}-${issue.field}`}>{errorText(issue)}</List.Item>
        ))}
      </List>
      {onEdit && (
        <Tooltip label={t('table.fix', { row: row.row })}>
          <ActionIcon variant="subtle" onClick={onEdit} aria-label={t('table.fix', { row: row.row })}>
            <IconPencil size={16} aria-hidden />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

/** EditRow corrects one row and checks it again at once. */
function EditRow({
  row,
  roles,
  importID,
  onDone,
}: {
  row: ImportRow;
  roles: string[];
  importID: string;
  onDone: (s?: ImportSummary) => void;
}) {
  const { t } = useTranslation('imports');
  const errorText = useErrorText();
  const update = useUpdateImportRow(importID);
  const [email, setEmail] = useState(row.email);
  const [role, setRole] = useState(row.role);
  const [error, setError] = useState('');
  const roleOptions = roles.includes(role) || !role ? roles : [role, ...roles];

  const save = () =>
    update.mutate(
      { row: row.row, email, role },
      { onSuccess: (res) => onDone(res.summary), onError: (e) => setError(errorText(e)) },
    );
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter') save();
    if (e.key === 'Escape') {
      e.stopPropagation();
      onDone();
    }
  };

  return (
    <Table.Tr data-editing>
      <Table.Td>{row.row}</Table.Td>
      <Table.Td>
        <TextInput
          size="xs"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          onKeyDown={onKey}
          aria-label={t('table.editEmail', { row: row.row })}
          error={error || undefined}
          data-autofocus
          autoFocus
        />
      </Table.Td>
      <Table.Td>
        <Select
          size="xs"
          data={roleOptions}
          value={role || null}
          onChange={(v) => setRole(v ?? '')}
          aria-label={t('table.editRole', { row: row.row })}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
        />
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" onClick={save} loading={update.isPending}>
            {t('table.save')}
          </Button>
          <Button size="xs" variant="default" onClick={() => onDone()}>
            {t('table.cancel')}
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** SendResult says what was sent and skipped, and follows the emails going out. */
function SendResult({ result, onDone }: { result: ImportSendResult; onDone: () => void }) {
  const { t } = useTranslation('imports');
  const qc = useQueryClient();
  const email = useEmailSettings();
  const queue = useMailQueue();
  const [burst, setBurst] = useState<OutboxProgress | null>(null);
  useEffect(
    () =>
      onOutboxProgress((p) => {
        setBurst(p);
        void qc.invalidateQueries({ queryKey: emailKeys.queue });
      }),
    [qc],
  );
  const waiting = (queue.data?.queued ?? 0) + (queue.data?.sending ?? 0);
  const total = burst ? burst.sent + burst.failed + burst.queued : 0;
  return (
    <Stack gap="sm">
      <Alert color="teal" icon={<IconCheck aria-hidden />} title={t('result.title')}>
        <Text size="sm">{t('result.sent', { count: result.sent })}</Text>
      </Alert>
      {result.skipped > 0 && (
        <div>
          <Text size="sm" fw={600}>
            {t('result.skipped', { count: result.skipped })}
          </Text>
          <ReasonCounts summary={result.summary} />
        </div>
      )}
      {email.data && !email.data.configured ? (
        <Text size="sm" c="orange.9">
          {t('result.notConfigured')}
        </Text>
      ) : (
        queue.data && (
          <Stack gap={4}>
            <Group justify="space-between">
              <Text size="sm" id="delivery-label">
                {t('result.delivery')}
              </Text>
              <Text size="sm" c="dimmed">
                {waiting > 0
                  ? t('result.deliveryProgress', { sent: burst?.sent ?? 0, queued: waiting })
                  : t('result.deliveryDone')}
              </Text>
            </Group>
            <Progress
              value={waiting === 0 ? 100 : total > 0 ? (100 * (total - waiting)) / total : 0}
              animated={waiting > 0}
              aria-labelledby="delivery-label"
            />
            {(burst?.failed ?? 0) > 0 && (
              <Text size="sm" c="red.9">
                {t('result.deliveryFailed', { count: burst?.failed ?? 0 })}
              </Text>
            )}
          </Stack>
        )
      )}
      <Group justify="flex-end">
        <Button onClick={onDone}>{t('actions.done')}</Button>
      </Group>
    </Stack>
  );
}
