import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportSummary } from '../../api/imports';
import { Tag } from '../../components/badges';

/** The summary's counters of each reason a row can fail for, in the order they are listed. */
const REASONS = [
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
] as const satisfies readonly (keyof ImportSummary)[];

/** PreviewSummary counts a preview's rows: ready, needing attention, sent, look-alike, blank. */
export function PreviewSummary({ summary: s }: { summary: ImportSummary }) {
  const { t } = useTranslation('imports');
  return (
    <Group gap="xs" aria-live="polite">
      <Tag variant="dot" color="gray">
        {t('summary.rows', { count: s.rows })}
      </Tag>
      <Tag variant="dot" color="teal">
        {t('summary.ready', { count: s.valid })}
      </Tag>
      {s.invalid > 0 && (
        <Tag variant="dot" color="red">
          {t('summary.attention', { count: s.invalid })}
        </Tag>
      )}
      {s.lookalike > 0 && (
        <Tag variant="dot" color="orange">
          {t('summary.lookalike', { count: s.lookalike })}
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
  );
}

/** ReasonCounts lists how many rows fail for each reason. */
export function ReasonCounts({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation('imports');
  return (
    <Group gap={6}>
      {REASONS.filter((r) => summary[r] > 0).map((r) => (
        <Tag key={r} variant="outline" color="red">
          {t(`reasons.${r}`)}: {summary[r]}
        </Tag>
      ))}
    </Group>
  );
}
