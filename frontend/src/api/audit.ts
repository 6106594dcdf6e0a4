import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import * as Audit from '../../wailsjs/go/app/Audit';
import type { app } from '../../wailsjs/go/models';
import { call } from './client';
import type { ExportFormat } from './users';

export type AuditEntry = app.AuditEntryDTO;

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
}

/**
 * AuditQuery filters the audit log; from and to are RFC 3339 times (from
 * inclusive, to exclusive); subject is the id of a user or invitation whose
 * own entries (as actor or target) are wanted, or "".
 */
export interface AuditQuery {
  search: string;
  action: string;
  subject: string;
  from: string;
  to: string;
}

/** auditActions lists the actions the audit log records. */
export const auditActions = [
  'organisation.setup',
  'user.role_changed',
  'user.deactivated',
  'user.activated',
  'user.removed',
  'user.joined',
  'user.password_reset_sent',
  'user.password_reset_used',
  'invitation.created',
  'invitation.imported',
  'invitation.deleted',
  'invitation.resent',
  'invitation.link_copied',
  'role.created',
  'role.updated',
  'role.deleted',
  'settings.email_saved',
  'mail.retried',
] as const;

export const auditKeys = {
  page: (q: AuditQuery, offset: number, limit: number) => ['audit', 'list', q, offset, limit] as const,
};

/** useAuditEntries is a page of the audit log, newest first. */
export function useAuditEntries(q: AuditQuery, offset: number, limit: number) {
  return useQuery({
    queryKey: auditKeys.page(q, offset, limit),
    queryFn: () => call(() => Audit.FindAuditEntries({ ...q, offset, limit })) as Promise<AuditPage>,
    placeholderData: keepPreviousData,
  });
}

export function useExportAuditLog() {
  return useMutation({
    mutationFn: ({ format, query }: { format: ExportFormat; query: AuditQuery }) =>
      call(() => Audit.ExportAuditLog({ format, ...query, offset: 0, limit: 0 })),
  });
}
