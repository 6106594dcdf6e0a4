import { Button, Group, Loader, Paper, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from './format';
import type { Selection } from './useSelection';

interface BulkBarProps {
  /** label names the region for assistive technology ("Selected users"). */
  label: string;
  selection: Selection;
  count: number;
  /**
   * matching is how many rows the filter matches when more than the selected
   * ones could be selected ("Select all N that match"), or undefined.
   */
  matching?: { total: number; atLeast?: boolean };
  /** onSelectMatching selects every row that matches; matchingLoading while it loads. */
  onSelectMatching?: () => void;
  matchingLoading?: boolean;
  onClear: () => void;
  /** children are the actions on the selected rows. */
  children: ReactNode;
}

/**
 * BulkBar sits above a list while rows are selected: how many, the actions on
 * them, and "Select all N that match" once every row shown is selected.
 */
export function BulkBar({
  label,
  selection,
  count,
  matching,
  onSelectMatching,
  matchingLoading,
  onClear,
  children,
}: BulkBarProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const n = (c: number) => ({ count: c, formatted: fmt.number(c) });
  let note: ReactNode = null;
  if (selection.matched) {
    note = (
      <Text size="sm">
        {selection.matched.capped
          ? t('bulk.capped', { max: fmt.number(count) })
          : t('bulk.allMatching', n(count))}
      </Text>
    );
  } else if (matching && onSelectMatching) {
    note = (
      <Button
        variant="subtle"
        size="compact-sm"
        onClick={onSelectMatching}
        disabled={matchingLoading}
        rightSection={matchingLoading ? <Loader size={12} /> : undefined}
      >
        {matching.atLeast ? t('bulk.selectAllMatchingMany') : t('bulk.selectAllMatching', n(matching.total))}
      </Button>
    );
  }
  return (
    <Paper
      component="section"
      aria-label={label}
      withBorder
      radius="md"
      px="sm"
      py={6}
      bg="var(--mantine-primary-color-light)"
      data-testid="bulk-bar"
    >
      <Group gap="xs" wrap="wrap" justify="space-between">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <Text size="sm" fw={600} aria-live="polite" style={{ whiteSpace: 'nowrap' }}>
            {t('bulk.selected', n(count))}
          </Text>
          {note}
        </Group>
        <Group gap="xs" wrap="nowrap">
          {children}
          <Button
            variant="subtle"
            color="gray"
            size="compact-sm"
            leftSection={<IconX size={14} aria-hidden />}
            onClick={onClear}
          >
            {t('bulk.clear')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
