import { Alert, Anchor, Text } from '@mantine/core';
import { IconMailOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { routeHash } from '../router';
import { useMailReadiness } from './mailReady';

/**
 * MailSetupBanner says, while no mail server is set up, that emails wait and
 * links to Admin Settings → Email. It shows nothing once mail can be sent.
 */
export function MailSetupBanner() {
  const { t } = useTranslation();
  if (useMailReadiness() !== 'notSetUp') return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconMailOff aria-hidden />}
      title={t('mail.notReadyTitle')}
      data-testid="mail-setup-banner"
      py="xs"
      style={{ flexShrink: 0 }}
      // Yellow title text on the light yellow ground falls short of 4.5:1;
      // the icon keeps the colour, the title reads as body text.
      styles={{ title: { marginBottom: 2, color: 'var(--mantine-color-text)' } }}
    >
      <Text size="sm">
        {t('mail.notReadyText')}{' '}
        <Anchor
          href={routeHash({ page: 'admin', section: 'email' })}
          fw={700}
          size="sm"
          c="var(--mantine-color-text)"
          underline="always"
        >
          {t('mail.notReadyAction')}
        </Anchor>
      </Text>
    </Alert>
  );
}
