import { Button, Group, Loader, Paper, Text } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkAction, BulkMatch } from '../api/bulk';
import { useErrorText } from '../i18n';
import type { BulkRequest } from './BulkRun';
import { useFormat } from './format';
import { notifyError } from './notify';
import type { SelectionState } from './useSelection';

interface BulkBarProps {
  /** label names the region for assistive technology ("Selected users"). */
  label: string;
  selection: SelectionState;
  /**
   * matching is how many rows the filter matches when more than the selected
   * ones could be selected ("Select all N that match"), or undefined.
   */
  matching?: { total: number; atLeast?: boolean };
  /** loadMatching loads the ids of every row that matches, for "Select all N that match". */
  loadMatching: () => Promise<BulkMatch>;
  /** children are the actions on the selected rows. */
  children: ReactNode;
}

/**
 * BulkBar sits above a list while rows are selected: how many, the actions on
 * them, and "Select all N that match" once every row shown is selected.
 */
export function BulkBar({ label, selection, matching, loadMatching, children }: BulkBarProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const [matchingLoading, setMatchingLoading] = useState(false);
  const count = selection.count;
  const n = (c: number) => ({ count: c, formatted: fmt.number(c) });
  const selectMatching = () => {
    setMatchingLoading(true);
    loadMatching()
      .then((m) => selection.replace(m.ids, { capped: m.capped }))
      .catch((e) => notifyError(t('errors.title'), errorText(e)))
      .finally(() => setMatchingLoading(false));
  };
  let note: ReactNode = null;
  const matched = selection.selection.matched;
  if (matched) {
    note = (
      <Text size="sm">
        {matched.capped ? t('bulk.capped', { max: fmt.number(count) }) : t('bulk.allMatching', n(count))}
      </Text>
    );
  } else if (matching) {
    note = (
      <Button
        variant="subtle"
        size="compact-sm"
        onClick={selectMatching}
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
            onClick={selection.clear}
          >
            {t('bulk.clear')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}

/**
 * BulkActionSpec declares one action of a BulkBar by its i18n keys: the
 * button's label, the confirmation's title, confirm button and text, and the
 * notification when every row was done. Title, confirm and success get the
 * count ({count, formatted}).
 */
export interface BulkActionSpec {
  action: BulkAction;
  label: string;
  title: string;
  confirm: string;
  text: string;
  success: string;
  /** destructive shows the button and the confirmation in red. */
  destructive?: boolean;
}

interface BulkActionButtonsProps {
  actions: readonly BulkActionSpec[];
  /** ids are the selected rows the actions act on. */
  ids: string[];
  /** ask asks for the confirmation of one action (useBulkRun's ask). */
  ask: (request: BulkRequest) => void;
}

/** BulkActionButtons are a BulkBar's buttons, one per action, each asking for its confirmation. */
export function BulkActionButtons({ actions, ids, ask }: BulkActionButtonsProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const n = (c: number) => ({ count: c, formatted: fmt.number(c) });
  return (
    <>
      {actions.map((a) => (
        <Button
          key={a.action}
          size="compact-sm"
          variant={a.destructive ? 'light' : 'default'}
          color={a.destructive ? 'red' : undefined}
          onClick={() =>
            ask({
              action: a.action,
              ids,
              title: t(a.title, n(ids.length)),
              confirmLabel: t(a.confirm, n(ids.length)),
              destructive: a.destructive,
              text: t(a.text),
              success: (done) => t(a.success, n(done)),
            })
          }
        >
          {t(a.label)}
        </Button>
      ))}
    </>
  );
}
