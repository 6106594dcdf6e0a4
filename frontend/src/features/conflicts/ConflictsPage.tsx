import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Conflict, useConflicts, useDiscardConflict } from '../../api/conflicts';
import { useFormat } from '../../components/format';
import { notifyError, notifySuccess } from '../../components/notify';
import { useErrorText } from '../../i18n';
import { routeHash } from '../../router';
import { ApplyAgainDialog } from './ApplyAgainDialog';
import { ConflictRowView } from './ConflictRowView';
import { kindLabel } from './kind';

/**
 * ConflictsPage is Admin Settings → Sync → Conflicts: each change of this
 * computer that the directory server refused, with what it did, why, and
 * what the server has, and the actions Discard mine and Apply again.
 */
export function ConflictsPage() {
  const { t } = useTranslation('conflicts');
  const errorText = useErrorText();
  const conflicts = useConflicts();
  const [applying, setApplying] = useState<Conflict | null>(null);
  const list = conflicts.data;
  return (
    <Stack p="xl" gap="lg" maw={1080}>
      <div>
        <Breadcrumbs separator="›" mb={4}>
          <Anchor href={routeHash({ page: 'admin', section: 'sync' })} size="sm">
            {t('back')}
          </Anchor>
          <Text size="sm" aria-current="page">
            {t('title')}
          </Text>
        </Breadcrumbs>
        <Title order={1} size="h2">
          {t('title')}
        </Title>
        <Text c="dimmed" mt={4}>
          {t('intro')}
        </Text>
      </div>
      {conflicts.error ? (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('loadFailed')} role="alert">
          {errorText(conflicts.error)}
        </Alert>
      ) : !list ? (
        <Skeleton height={240} radius="md" aria-hidden />
      ) : list.length === 0 ? (
        <Paper withBorder p="xl" radius="md">
          <Group gap="md" wrap="nowrap">
            <IconCircleCheck size={32} stroke={1.5} aria-hidden color="var(--mantine-color-green-7)" />
            <div>
              <Title order={2} size="h4">
                {t('empty.title')}
              </Title>
              <Text c="dimmed" size="sm">
                {t('empty.body')}
              </Text>
            </div>
          </Group>
        </Paper>
      ) : (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('count', { count: list.length })}
          </Text>
          {list.map((c) => (
            <ConflictCard key={c.seq} conflict={c} onApply={() => setApplying(c)} />
          ))}
        </>
      )}
      {applying && <ApplyAgainDialog conflict={applying} onClose={() => setApplying(null)} />}
    </Stack>
  );
}

/** ConflictCard is one conflict: what was done and when, why it was refused, both sides, and the actions. */
function ConflictCard({ conflict, onApply }: { conflict: Conflict; onApply: () => void }) {
  const { t } = useTranslation('conflicts');
  const { t: tt } = useTranslation();
  const fmt = useFormat();
  const errorText = useErrorText();
  const discard = useDiscardConflict();
  const title = kindLabel(t, conflict.kind);
  const headingId = `conflict-${conflict.seq}`;
  return (
    <Paper component="section" withBorder radius="md" p="lg" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={2} size="h4" id={headingId}>
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {t('at', { date: fmt.dateTime(conflict.at) })}
            </Text>
          </div>
        </Group>
        <Alert
          color="orange"
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title={t('why')}
          // Orange title text on the light orange ground falls short of 4.5:1
          // (axe); the icon keeps the colour, the title reads as body text.
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
        >
          {errorText(conflict.error)}
        </Alert>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <Stack gap="xs">
            <Title order={3} size="h5">
              {t('mine')}
            </Title>
            <ConflictRowView row={conflict.mine} />
          </Stack>
          <Stack gap="xs">
            <Title order={3} size="h5">
              {t('server')}
            </Title>
            {conflict.server.map((r) => (
              <ConflictRowView key={`${r.entity}-${r.id}`} row={r} />
            ))}
          </Stack>
        </SimpleGrid>
        <Group justify="flex-end" gap="sm">
          {!conflict.repeatable && (
            <Text size="sm" c="dimmed" mr="auto">
              {t('apply.notRepeatable')}
            </Text>
          )}
          <Button
            variant="default"
            loading={discard.isPending}
            onClick={() =>
              discard.mutate(conflict.seq, {
                onSuccess: () => notifySuccess(t('discard.done')),
                onError: (e) => notifyError(tt('errors.title'), errorText(e)),
              })
            }
          >
            {t('discard.button')}
          </Button>
          {conflict.repeatable && <Button onClick={onApply}>{t('apply.button')}</Button>}
        </Group>
      </Stack>
    </Paper>
  );
}
