import { Alert, Button, EmptyState, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowsDiff, IconHistory, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type AuditEntry,
  type AuditQuery,
  auditActions,
  useAuditEntries,
  useExportAuditLog,
} from '../../api/audit';
import { Breakable } from '../../components/Breakable';
import classes from '../../components/DataTable.module.css';
import { DateField } from '../../components/DateField';
import { ExportMenu } from '../../components/ExportMenu';
import { useFormat } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { SearchInput } from '../../components/SearchInput';
import { PlainHeader } from '../../components/SortableHeader';
import { TablePager } from '../../components/TablePager';
import { usePageOffset } from '../../components/usePageOffset';
import { useErrorText } from '../../i18n';
import { routeHash, useHashQuery } from '../../router';
import { changesOf, useActionText, useValueText } from './auditText';

const LIMIT = 50;

/** dayStart turns a date input's yyyy-mm-dd into the RFC 3339 time of that local midnight (plus days). */
export function dayStart(day: string, plusDays = 0): string {
  if (!day) return '';
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return '';
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/**
 * AuditPage is the audit log: every administrative action, newest first,
 * filtered and exported. Opened from a user's details, it shows only their
 * entries (the hash's subject, named by its label) until that filter is cleared.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const actionText = useActionText();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [shown, setShown] = useState<AuditEntry | null>(null);
  const hashQuery = useHashQuery();
  const subject = hashQuery.get('subject') ?? '';
  const subjectLabel = hashQuery.get('label') || subject;
  // "to" is inclusive for the administrator: everything before the next day.
  const query: AuditQuery = {
    search: debouncedSearch,
    action,
    subject,
    from: dayStart(from),
    to: dayStart(to, 1),
  };
  const [offset, setOffset] = usePageOffset(query);
  const list = useAuditEntries(query, offset, LIMIT);
  const exporter = useExportAuditLog();
  const total = list.data?.total ?? 0;
  const filtered = !!(debouncedSearch || action || subject || from || to);

  return (
    <Stack p="xl" gap="md" h="100dvh">
      <PageHeader
        title={t('audit.title')}
        description={t('audit.description')}
        actions={
          <ExportMenu
            run={(format) => exporter.mutateAsync({ format, query })}
            loading={exporter.isPending}
          />
        }
      />
      <Group gap="sm" wrap="wrap" align="flex-end">
        {subject && (
          <Button
            component="a"
            href={routeHash({ page: 'admin', section: 'audit' })}
            variant="light"
            rightSection={<IconX size={14} stroke={1.8} aria-hidden />}
            title={t('audit.clearSubject')}
            aria-label={`${t('audit.subject', { label: subjectLabel })}. ${t('audit.clearSubject')}`}
            data-testid="audit-subject"
            maw={320}
            py={6}
            styles={{
              root: { height: 'auto', minHeight: 36 },
              label: { whiteSpace: 'normal', overflowWrap: 'anywhere' },
            }}
          >
            {t('audit.subject', { label: subjectLabel })}
          </Button>
        )}
        <SearchInput
          label={t('audit.searchLabel')}
          placeholder={t('audit.searchPlaceholder')}
          value={search}
          onChange={setSearch}
          w={280}
        />
        <Select
          aria-label={t('audit.actionFilter')}
          placeholder={t('audit.allActions')}
          data={auditActions.map((a) => ({ value: a, label: actionText(a) }))}
          value={action || null}
          onChange={(v) => setAction(v ?? '')}
          clearable
          searchable
          w={240}
        />
        <DateField
          aria-label={t('audit.from')}
          leftSection={<DateLabel text={t('audit.from')} />}
          leftSectionWidth={48}
          value={from}
          onChange={setFrom}
          w={190}
        />
        <DateField
          aria-label={t('audit.to')}
          leftSection={<DateLabel text={t('audit.to')} />}
          leftSectionWidth={48}
          value={to}
          onChange={setTo}
          w={190}
        />
      </Group>
      <div className={`${classes.frame} ${classes.shrink}`}>
        <table className={classes.table} aria-label={t('audit.tableLabel')} aria-busy={list.isFetching}>
          <colgroup>
            <col style={{ width: '18%' }} />
            <col style={{ width: '15%' }} />
            <col style={{ width: '24%' }} />
            <col style={{ width: '29%' }} />
            <col style={{ width: '14%' }} />
          </colgroup>
          <thead>
            <tr>
              <PlainHeader label={t('audit.columns.at')} />
              <PlainHeader label={t('audit.columns.actor')} />
              <PlainHeader label={t('audit.columns.action')} />
              <PlainHeader label={t('audit.columns.target')} />
              <PlainHeader label={t('audit.columns.changes')} />
            </tr>
          </thead>
          <tbody>
            {list.isPending
              ? Array.from({ length: 8 }, (_, i) => (
                  <tr key={String(i)}>
                    {['70%', '60%', '70%', '80%', '50%'].map((w, j) => (
                      <td key={String(j)} className={classes.td}>
                        <span className={classes.skeleton} style={{ width: w }} />
                      </td>
                    ))}
                  </tr>
                ))
              : list.data?.entries.map((e) => (
                  <tr key={e.id} data-action={e.action}>
                    <td className={classes.td}>{fmt.dateTime(e.at)}</td>
                    <td className={classes.td}>
                      {e.actorName || t('audit.system')}
                      {e.actorClient && (
                        <Text size="xs" c="dimmed" truncate title={e.actorClient}>
                          {t('audit.via', { client: e.actorClient })}
                        </Text>
                      )}
                    </td>
                    <td className={classes.td}>{actionText(e.action)}</td>
                    <td className={`${classes.td} ${classes.breakable}`} title={e.targetLabel}>
                      <Breakable text={e.targetLabel} />
                    </td>
                    <td className={classes.td}>
                      {e.before || e.after ? (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          leftSection={<IconArrowsDiff size={14} stroke={1.7} aria-hidden />}
                          onClick={() => setShown(e)}
                          aria-label={t('audit.showChangesOf', {
                            action: actionText(e.action),
                            target: e.targetLabel,
                          })}
                        >
                          {t('audit.showChanges')}
                        </Button>
                      ) : (
                        <Text size="xs" c="dimmed">
                          {t('audit.noChanges')}
                        </Text>
                      )}
                    </td>
                  </tr>
                ))}
          </tbody>
        </table>
        {list.isError && (
          <Alert m="md" color="red" icon={<IconAlertTriangle aria-hidden />} title={t('audit.loadFailed')}>
            {errorText(list.error)}
          </Alert>
        )}
        {list.data && total === 0 && (
          <EmptyState
            my="xl"
            icon={<IconHistory size={28} stroke={1.6} aria-hidden />}
            title={filtered ? t('audit.noMatchTitle') : t('audit.emptyTitle')}
            description={filtered ? t('audit.noMatchText') : t('audit.emptyText')}
          />
        )}
      </div>
      <TablePager offset={offset} limit={LIMIT} total={total} onOffset={setOffset} />
      <ChangesDialog entry={shown} onClose={() => setShown(null)} />
    </Stack>
  );
}

function DateLabel({ text }: { text: string }) {
  return (
    <Text size="xs" fw={600} c="dimmed" aria-hidden>
      {text}
    </Text>
  );
}

function ChangesDialog({ entry, onClose }: { entry: AuditEntry | null; onClose: () => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const actionText = useActionText();
  const valueText = useValueText(fmt);
  const [last, setLast] = useState(entry);
  if (entry && entry !== last) setLast(entry);
  const e = entry ?? last;
  const changes = e ? changesOf(e.before, e.after, valueText) : [];
  return (
    <Modal opened={entry !== null} onClose={onClose} title={t('audit.changesTitle')} size="lg" centered>
      {e && (
        <Stack gap="md">
          <Text size="sm">
            {t('audit.changesIntro', {
              actor: e.actorName || t('audit.system'),
              action: actionText(e.action),
              target: e.targetLabel,
              at: fmt.dateTime(e.at),
            })}
          </Text>
          <div className={classes.frame}>
            <table className={classes.table} style={{ minWidth: 0 }} aria-label={t('audit.changesTitle')}>
              <colgroup>
                <col style={{ width: '24%' }} />
                <col style={{ width: '38%' }} />
                <col style={{ width: '38%' }} />
              </colgroup>
              <thead>
                <tr>
                  <PlainHeader label={t('audit.field')} />
                  <PlainHeader label={t('audit.before')} />
                  <PlainHeader label={t('audit.after')} />
                </tr>
              </thead>
              <tbody>
                {changes.map((c) => (
                  <tr key={c.field} data-changed={c.changed || undefined}>
                    <td className={classes.td} style={{ fontWeight: c.changed ? 600 : undefined }}>
                      {t(`audit.fields.${c.field}`, { defaultValue: c.field })}
                    </td>
                    <td className={`${classes.td} ${classes.wrap}`}>{c.before || '—'}</td>
                    <td className={`${classes.td} ${classes.wrap}`}>{c.after || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Stack>
      )}
    </Modal>
  );
}
