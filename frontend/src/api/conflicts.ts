// Admin Settings → Sync → Conflicts: the changes of this computer that the
// directory server refused, with what it has instead, and their way out.
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as Conflicts from '../../wailsjs/go/app/Conflicts';
import type { app } from '../../wailsjs/go/models';
import { AppError, call, type Data, toAppError } from './client';
import type { MessageKey } from './messageKeys';
import type { Permission } from './roles';
import { invalidateAdminData } from './users';

/** ConflictRow is a member, an invitation or a role as the Conflicts screen shows it. */
export interface ConflictRow extends Omit<Data<app.ConflictRowDTO>, 'permissions' | 'entity'> {
  entity: 'user' | 'invitation' | 'role';
  permissions: Permission[];
}

/** Conflict is one refused change: what this computer did, why, and what the server has. */
export interface Conflict extends Omit<Data<app.ConflictDTO>, 'mine' | 'server' | 'error'> {
  mine: ConflictRow;
  server: ConflictRow[];
  /** error is the server's refusal, to be shown in the window's language. */
  error: AppError;
}

export type ApplyAgainParams = Omit<Data<app.ApplyAgainParams>, 'permissions'> & {
  permissions: Permission[] | null;
};

export const conflictsKeys = {
  list: ['conflicts'] as const,
};

function conflictOf(c: app.ConflictDTO): Conflict {
  const e = toAppError(c.error ?? { code: 'conflict', message: '' });
  return {
    ...(c as unknown as Omit<Conflict, 'error'>),
    error: new AppError(e.code, e.message, e.field, e.key as MessageKey | undefined, e.args),
  };
}

/** findConflicts returns the conflicts not yet resolved, newest first. */
export async function findConflicts(): Promise<Conflict[]> {
  const list = await call(() => Conflicts.FindConflicts());
  return (list ?? []).map(conflictOf);
}

/** discardConflict drops the refused change; the rows stay as the server has them. */
export function discardConflict(seq: number): Promise<void> {
  return call(() => Conflicts.DiscardConflict(seq));
}

/**
 * applyAgain makes the refused change again, edited, as a new change that
 * syncs like any other. It rejects with the change's own errors (field
 * email or roleId for an invitation) and the conflict stays.
 */
export function applyAgain(seq: number, params: ApplyAgainParams): Promise<void> {
  return call(() => Conflicts.ApplyAgain(seq, params as app.ApplyAgainParams));
}

export function useConflicts() {
  return useQuery({ queryKey: conflictsKeys.list, queryFn: findConflicts });
}

function refresh(qc: QueryClient) {
  return Promise.all([qc.invalidateQueries({ queryKey: conflictsKeys.list }), invalidateAdminData(qc)]);
}

export function useDiscardConflict() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: discardConflict, onSuccess: () => refresh(qc) });
}

export function useApplyAgain() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ seq, ...params }: ApplyAgainParams & { seq: number }) => applyAgain(seq, params),
    onSuccess: () => refresh(qc),
  });
}
