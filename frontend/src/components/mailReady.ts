import { useEmailSettings } from '../api/email';

/** MailReadiness says whether Roster can send email now (unknown while the settings load). */
export type MailReadiness = 'unknown' | 'ready' | 'notSetUp';

/**
 * mailReadiness reads the Email settings: until they were saved there is no
 * mail server, and every email (invitation, password reset) waits in the outbox.
 */
export function mailReadiness(settings: { configured: boolean } | undefined): MailReadiness {
  if (!settings) return 'unknown';
  return settings.configured ? 'ready' : 'notSetUp';
}

/** useMailReadiness is mailReadiness of the saved Email settings. */
export function useMailReadiness(): MailReadiness {
  return mailReadiness(useEmailSettings().data);
}
