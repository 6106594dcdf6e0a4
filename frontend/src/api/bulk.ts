import { useMutation, useQueryClient } from '@tanstack/react-query';
import * as Bulk from '../../wailsjs/go/app/Bulk';
import type { app } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { call, type ErrorCode, type ErrorKey } from './client';
import type { InvitationsQuery } from './invitations';
import { adminKeys, type DirectoryQuery } from './users';

/** BULK_PROGRESS is the event a bulk action reports its progress with (app.EventBulkProgress). */
const BULK_PROGRESS = 'bulk:progress';

export type BulkAction = `${app.BulkAction}`;

/** BulkProgress is how far a bulk action has come: done rows tried (failed of them failed) of total. */
export interface BulkProgress {
  action: BulkAction;
  done: number;
  total: number;
  failed: number;
  final: boolean;
}

/** BulkFailure is a row a bulk action could not do: its address and the backend's error. */
export interface BulkFailure {
  id: string;
  label: string;
  error: {
    code: ErrorCode;
    message: string;
    key?: ErrorKey;
    args?: Record<string, unknown>;
  };
}

/** BulkResult says what a bulk action did; canceled is set when it was stopped before the end. */
export interface BulkResult {
  total: number;
  done: number;
  failed: BulkFailure[];
  canceled: boolean;
}

/** BulkMatch is every id a list's filter matches; capped when more match than one action takes. */
export interface BulkMatch {
  ids: string[];
  capped: boolean;
}

/** MAX_BULK_ITEMS is the most rows one action takes (app.MaxBulkItems). */
export const MAX_BULK_ITEMS = 10_000;

export function userIDsMatching(q: DirectoryQuery): Promise<BulkMatch> {
  return call(() => Bulk.UserIDsMatching({ ...q, offset: 0, limit: 0 }));
}

export function invitationIDsMatching(q: InvitationsQuery): Promise<BulkMatch> {
  return call(() => Bulk.InvitationIDsMatching({ ...q, delivery: '', offset: 0, limit: 0 }));
}

export function cancelBulk(): Promise<void> {
  return call(() => Bulk.CancelBulk());
}

/** onBulkProgress subscribes to bulk progress events; call the result to stop. */
export function onBulkProgress(listener: (p: BulkProgress) => void): () => void {
  return EventsOn(BULK_PROGRESS, listener);
}

/** BulkRun is one bulk action on the given ids, with the role for a change of role. */
export interface BulkRun {
  action: BulkAction;
  ids: string[];
  roleId?: string;
}

function runBulk({ action, ids, roleId }: BulkRun): Promise<BulkResult> {
  const run = (): Promise<app.BulkResultDTO> => {
    switch (action) {
      case 'changeRole':
        return Bulk.ChangeUsersRole({ ids, roleId: roleId ?? '' });
      case 'deactivate':
        return Bulk.DeactivateUsers({ ids });
      case 'remove':
        return Bulk.RemoveUsers({ ids });
      case 'resend':
        return Bulk.ResendInvitations({ ids });
      case 'delete':
        return Bulk.DeleteInvitations({ ids });
    }
  };
  return call(run) as Promise<BulkResult>;
}

/**
 * changed lists the cached data a bulk action may change: members change the
 * Users list, the roles' counts and the audit log; invitations change their
 * list, their rows in the Users list and the audit log (and the roles'
 * counts when deleted). A resend or deactivation leaves the roles as they are.
 */
const changed: Record<BulkAction, (keyof typeof adminKeys)[]> = {
  changeRole: ['users', 'roles', 'audit'],
  deactivate: ['users', 'audit'],
  remove: ['users', 'roles', 'audit'],
  resend: ['invitations', 'users', 'audit'],
  delete: ['invitations', 'users', 'roles', 'audit'],
};

/** useBulkAction runs a bulk action; progress arrives through onBulkProgress while it runs. */
export function useBulkAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: runBulk,
    onSettled: (_r, _e, run) =>
      Promise.all(changed[run.action].map((k) => qc.invalidateQueries({ queryKey: adminKeys[k] }))),
  });
}
