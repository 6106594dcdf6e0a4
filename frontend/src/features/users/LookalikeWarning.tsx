import { Alert, Checkbox, type CheckboxProps, Code, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { toAppError } from '../../api/client';

/**
 * Lookalike is an address the backend refused until confirmed, because its
 * domain mixes alphabets: as it is shown, and in its real (punycode) form.
 */
export interface Lookalike {
  email: string;
  punycode: string;
}

/** lookalikeOf returns the look-alike an invitation was refused for, or null for any other error. */
export function lookalikeOf(err: unknown): Lookalike | null {
  const e = toAppError(err);
  if (e.field !== 'confirmLookalike') return null;
  const arg = (name: string) => (typeof e.args?.[name] === 'string' ? (e.args[name] as string) : '');
  return { email: arg('email'), punycode: arg('punycode') };
}

interface LookalikeWarningProps {
  lookalike: Lookalike;
  /** checkbox is the confirmation's input props (checked, onChange, error). */
  checkbox: CheckboxProps;
}

/** LookalikeWarning shows a look-alike address beside its punycode form, with the box that confirms it. */
export function LookalikeWarning({ lookalike, checkbox }: LookalikeWarningProps) {
  const { t } = useTranslation();
  return (
    <Alert
      variant="light"
      color="orange"
      icon={<IconAlertTriangle aria-hidden />}
      title={t('invite.lookalikeTitle')}
      // Orange title text on the light orange ground falls short of 4.5:1
      // (axe); the icon keeps the colour, the title reads as body text.
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
    >
      <Stack gap="xs">
        <Text size="sm">{t('invite.lookalikeText')}</Text>
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600} style={{ wordBreak: 'break-all' }}>
            {lookalike.email}
          </Text>
          <Code style={{ wordBreak: 'break-all' }}>{lookalike.punycode}</Code>
        </Group>
        <Checkbox label={t('invite.lookalikeConfirm')} {...checkbox} />
      </Stack>
    </Alert>
  );
}
