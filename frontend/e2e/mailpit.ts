import { expect, type Page } from '@playwright/test';

// The mailpit that scripts/with-services.sh starts for the tests.
const api = process.env.ROSTER_TEST_MAILPIT;
export const smtp = process.env.ROSTER_TEST_SMTP ?? '';

export interface MailSummary {
  ID: string;
  Subject: string;
  To: { Address: string }[];
}

export interface MailMessage extends MailSummary {
  Text: string;
  HTML: string;
}

function mailpitURL(path: string): string {
  if (!api) throw new Error('ROSTER_TEST_MAILPIT is not set: run the tests through scripts/e2e.sh');
  return api + path;
}

/** findMail returns the messages sent to an address. */
export async function findMail(to: string): Promise<MailSummary[]> {
  const res = await fetch(mailpitURL(`/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}`));
  if (!res.ok) throw new Error(`mailpit search: ${res.status}`);
  return ((await res.json()) as { messages: MailSummary[] }).messages;
}

/** waitForMail waits until a message to the address has arrived, and returns it whole. */
export async function waitForMail(to: string, subject?: RegExp): Promise<MailMessage> {
  let found: MailSummary | undefined;
  await expect
    .poll(
      async () => {
        found = (await findMail(to)).find((m) => !subject || subject.test(m.Subject));
        return Boolean(found);
      },
      { timeout: 20_000, message: `no email to ${to} arrived in mailpit` },
    )
    .toBe(true);
  const res = await fetch(mailpitURL(`/api/v1/message/${found?.ID}`));
  return (await res.json()) as MailMessage;
}

/** mailpitServer gives the host and port of the test SMTP server, for the settings form. */
export function mailpitServer(): { host: string; port: string } {
  const [host, port] = smtp.split(':');
  if (!host || !port) throw new Error('ROSTER_TEST_SMTP is not set: run the tests through scripts/e2e.sh');
  return { host, port };
}

/**
 * useMailpit points Roster's email settings at the test mailpit through the bindings (a shortcut for tests about
 * other things; e2e/email.spec.ts tests the screen). platformUrl is where the emailed links lead.
 */
export async function useMailpit(page: Page, platformUrl = 'https://chat.example.com') {
  const { host, port } = mailpitServer();
  await page.evaluate(
    async ({ host, port, platformUrl }) => {
      // biome-ignore lint/suspicious/noExplicitAny: the Wails bindings on window
      const go = (window as any).go;
      await go.app.Email.SaveEmailSettings({
        host,
        port: Number(port),
        security: 'none',
        username: 'roster',
        password: 'any',
        fromName: 'Example Ltd',
        fromAddress: 'no-reply@example.com',
        platformUrl,
        language: 'en',
        rateLimit: 6000,
        sessionOnly: false,
      });
    },
    { host, port, platformUrl },
  );
}
