import { ActionIcon, Code, Group, List, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconPencil } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportRow, ImportSummary } from '../../api/imports';
import { Tag } from '../../components/badges';
import { useErrorText } from '../../i18n';
import { EditRow } from './EditRow';
import { EmailText } from './EmailText';
import classes from './Imports.module.css';

/** RowEditing lets the invalid rows of a preview be corrected in place. */
export interface RowEditing {
  importID: string;
  /** roles are the names a row's role may have. */
  roles: string[];
  onEdited: (summary: ImportSummary) => void;
}

/** PreviewTable shows rows with their problems; with edit, invalid ones can be corrected in place. */
export function PreviewTable({ rows, edit }: { rows: ImportRow[]; edit?: RowEditing }) {
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
            edit && editing === r.row ? (
              <EditRow
                key={r.row}
                row={r}
                roles={edit.roles}
                importID={edit.importID}
                onDone={(summary) => {
                  setEditing(null);
                  if (summary) edit.onEdited(summary);
                }}
              />
            ) : (
              <Table.Tr key={r.row} data-invalid={!r.valid || undefined}>
                <Table.Td>{r.row}</Table.Td>
                <Table.Td className={classes.cell}>
                  <RowEmail row={r} />
                </Table.Td>
                <Table.Td className={classes.cell}>{r.role}</Table.Td>
                <Table.Td>
                  <RowStatus
                    row={r}
                    onEdit={edit && !r.valid && !r.sent ? () => setEditing(r.row) : undefined}
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

/** RowEmail shows a row's address, and a look-alike's real (punycode) form beside it. */
function RowEmail({ row }: { row: ImportRow }) {
  const { t } = useTranslation('imports');
  if (!row.punycode) return <EmailText address={row.email} />;
  return (
    <Stack gap={2}>
      <Text size="sm" inherit>
        <EmailText address={row.email} />
      </Text>
      <Text size="xs" c="dimmed">
        {t('table.realForm')}{' '}
        <Code className={classes.punycode}>
          <EmailText address={row.punycode} />
        </Code>
      </Text>
    </Stack>
  );
}

/** RowStatus says whether a row is ready, sent, or what is wrong with it, and warns of a look-alike. */
function RowStatus({ row, onEdit }: { row: ImportRow; onEdit?: () => void }) {
  const { t } = useTranslation('imports');
  const errorText = useErrorText();
  if (row.sent)
    return (
      <Tag variant="dot" color="indigo">
        {t('table.sent')}
      </Tag>
    );
  const warning = row.punycode ? (
    <Group gap={6} wrap="nowrap" align="flex-start" className={classes.warning}>
      <IconAlertTriangle size={16} aria-hidden style={{ flexShrink: 0 }} />
      <Text size="sm" inherit>
        {t('table.lookalike')}
      </Text>
    </Group>
  ) : null;
  if (row.valid)
    return (
      <Stack gap={4} align="flex-start">
        <Tag variant="dot" color="teal">
          {t('table.ok')}
        </Tag>
        {warning}
      </Stack>
    );
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between">
      <Stack gap={4}>
        <List size="sm" spacing={2} className={classes.issues}>
          {row.issues.map((issue) => (
            <List.Item key={`${issue.key}-${issue.field}`}>{errorText(issue)}</List.Item>
          ))}
        </List>
        {warning}
      </Stack>
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
