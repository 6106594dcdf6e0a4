// Admin Settings → Email: SMTP settings, the password (sent in, never out),
// test email, certificate trust, template previews and the mail queue.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as Email from '../../wailsjs/go/app/Email';
import type { app } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { call } from './client';

export type Security = 'starttls' | 'tls' | 'none';
export type MailLanguage = 'en' | 'de';
export type TemplateKind = 'invitation' | 'password_reset' | 'password_changed';
/** Where the SMTP password is kept; '' when none is saved. */
export type PasswordStore = 'keyring' | 'session' | '';

export type EmailSettings = app.EmailSettingsDTO;
export type EmailSettingsParams = app.EmailSettingsParams;
export type MailPreview = app.MailPreviewDTO;
export type MailQueue = app.MailQueueDTO;
export type TestEmailResult = app.TestEmailResultDTO;

/**
 * The `key`s of the AppError that saving the settings (field "password") or
 * reading them (`keyringProblem`) can carry when the system keyring cannot be
 * used. Offer "keep the password for this session only" (sessionOnly: true).
 */
export const keyringProblemKeys = [
  'keyring.no_session',
  'keyring.no_service',
  'keyring.locked',
  'keyring.timeout',
  'keyring.unavailable',
] as const;

export type KeyringProblemKey = (typeof keyringProblemKeys)[number];

/**
 * The categories of a failed test email: the AppError's key is `smtp.<category>`
 * and its args hold {category, stage, server, smtpCode?, reply?}; for
 * `certificate` also {fingerprint, subject, issuer, notBefore, notAfter, reason}.
 */
export type SmtpCategory =
  | 'auth'
  | 'certificate'
  | 'tls'
  | 'connection_refused'
  | 'timeout'
  | 'dns'
  | 'rejected'
  | 'network';

/** OutboxProgress is the payload of the `outbox:progress` event. */
export interface OutboxProgress {
  sent: number;
  failed: number;
  queued: number;
  done: boolean;
}

export const OUTBOX_PROGRESS = 'outbox:progress';

export const emailKeys = {
  settings: ['email', 'settings'] as const,
  queue: ['email', 'queue'] as const,
  preview: (kind: TemplateKind, language: MailLanguage) => ['email', 'preview', kind, language] as const,
};

export function getEmailSettings(): Promise<EmailSettings> {
  return call(() => Email.GetEmailSettings());
}

/** saveEmailSettings saves the form; an empty password keeps the saved one. */
export function saveEmailSettings(params: EmailSettingsParams): Promise<EmailSettings> {
  return call(() => Email.SaveEmailSettings(params));
}

/** sendTestEmail sends a test email with the SAVED settings: save the form first. */
export function sendTestEmail(to: string): Promise<TestEmailResult> {
  return call(() => Email.SendTestEmail({ to }));
}

/** trustCertificate trusts the certificate a failed test email reported (args.fingerprint); '' stops. */
export function trustCertificate(fingerprint: string): Promise<EmailSettings> {
  return call(() => Email.TrustCertificate({ fingerprint }));
}

export function previewTemplate(kind: TemplateKind, language: MailLanguage): Promise<MailPreview> {
  return call(() => Email.PreviewTemplate({ kind, language }));
}

export function getMailQueue(): Promise<MailQueue> {
  return call(() => Email.GetMailQueue());
}

/** retryMail queues a failed email again (an invitation's outboxId). */
export function retryMail(outboxId: number): Promise<MailQueue> {
  return call(() => Email.RetryMail(outboxId));
}

/** onOutboxProgress subscribes to the mail worker's progress; call the result to stop. */
export function onOutboxProgress(listener: (p: OutboxProgress) => void): () => void {
  return EventsOn(OUTBOX_PROGRESS, listener);
}

export function useEmailSettings() {
  return useQuery({ queryKey: emailKeys.settings, queryFn: getEmailSettings });
}

export function useSaveEmailSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: saveEmailSettings,
    onSuccess: (settings) => qc.setQueryData(emailKeys.settings, settings),
  });
}

export function useSendTestEmail() {
  return useMutation({ mutationFn: sendTestEmail });
}

export function useTrustCertificate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: trustCertificate,
    onSuccess: (settings) => qc.setQueryData(emailKeys.settings, settings),
  });
}

export function useTemplatePreview(kind: TemplateKind, language: MailLanguage) {
  return useQuery({
    queryKey: emailKeys.preview(kind, language),
    queryFn: () => previewTemplate(kind, language),
  });
}

export function useMailQueue() {
  return useQuery({ queryKey: emailKeys.queue, queryFn: getMailQueue });
}

export function useRetryMail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: retryMail,
    onSuccess: (queue) => qc.setQueryData(emailKeys.queue, queue),
  });
}
