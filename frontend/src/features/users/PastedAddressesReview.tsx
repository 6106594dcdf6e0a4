import { Alert, Group, List, ScrollArea, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { type Import, type ImportRow, useImportRows } from '../../api/imports';
import type { MessageArgs } from '../../api/messageKeys';
import { useErrorText } from '../../i18n';

// Every row, the first 500 (a paste is short): without the filter flag, whose
// name the import screen owns, Go reads it as false, which means all rows.
const ALL_ROWS = { offset: 0, limit: 500 } as Parameters<typeof useImportRows>[1];

/**
 * pastedIssueText is an issue's text as the paste shows it. The checks are
 * those of an import file's rows, whose messages name rows of the file; a
 * paste has no file, so a duplicate names the pasted address it repeats (by
 * its number in the list, which is its row less the header) instead.
 */
export function pastedIssueText(
  issue: { key?: string; args?: Record<string, unknown> },
  rows: Pick<ImportRow, 'row' | 'email'>[],
  t: (key: string, args?: Record<string, string>) => string,
  errorText: (e: unknown) => string,
): string {
  if (issue.key === ('import.row.duplicate' satisfies keyof MessageArgs)) {
    const row = Number(issue.args?.row);
    const first = rows.find((r) => r.row === row);
    if (first) return t('invite.manyDuplicate', { n: String(row - 1), email: first.email });
  }
  return errorText(issue);
}

/**
 * PastedAddressesReview shows the addresses pasted into Invite one user after
 * the checks of an import row: each one ready, or with what is wrong with it.
 */
export function PastedAddressesReview({ preview }: { preview: Import }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const rows = useImportRows(preview.id, ALL_ROWS);
  const { valid, rows: total } = preview.summary;
  return (
    <Stack gap="sm">
      <Text size="sm" fw={600} aria-live="polite">
        {t('invite.manyCount', { valid: String(valid), total: String(total) })}
      </Text>
      {rows.isError && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />}>
          {errorText(rows.error)}
        </Alert>
      )}
      <ScrollArea.Autosize mah={280} type="auto">
        {rows.isPending ? (
          <Skeleton h={80} />
        ) : (
          <List
            spacing="xs"
            listStyleType="none"
            aria-label={t('invite.manyListLabel')}
            data-testid="pasted-addresses"
          >
            {(rows.data?.rows ?? []).map((row) => (
              <List.Item
                key={row.row}
                data-valid={row.valid || undefined}
                icon={
                  <ThemeIcon
                    size={20}
                    radius="xl"
                    variant="light"
                    color={row.valid ? 'green' : 'red'}
                    aria-hidden
                  >
                    {row.valid ? <IconCheck size={13} /> : <IconX size={13} />}
                  </ThemeIcon>
                }
              >
                <Group gap={6} wrap="wrap">
                  <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
                    {row.email || '—'}
                  </Text>
                  {row.valid && (
                    <Text size="xs" c="dimmed">
                      {t('invite.manyReady')}
                    </Text>
                  )}
                </Group>
                {row.issues.map((issue) => (
                  <Text key={`${issue.key}-${issue.field}`} size="xs" c="var(--mantine-color-error)">
                    {pastedIssueText(issue, rows.data?.rows ?? [], t, errorText)}
                  </Text>
                ))}
              </List.Item>
            ))}
          </List>
        )}
      </ScrollArea.Autosize>
    </Stack>
  );
}
