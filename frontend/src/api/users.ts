import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as Users from '../../wailsjs/go/app/Users';
import type { app, backend } from '../../wailsjs/go/models';
import { call } from './client';

/** ExportFormat is the file type of an export. */
export type ExportFormat = 'csv' | 'xlsx';

export type EntryKind = `${backend.EntryKind}`;
export type EntryStatus = `${backend.EntryStatus}`;
export type UserStatus = `${backend.UserStatus}`;

/** DirectoryEntry is one row of the Users list: a member or an invitation not yet accepted. */
export interface DirectoryEntry extends Omit<app.DirectoryEntryDTO, 'kind' | 'status'> {
  kind: EntryKind;
  status: EntryStatus;
}

/** DirectoryPage is a page of the Users list; with atLeast set, more than total rows match. */
export interface DirectoryPage {
  entries: DirectoryEntry[];
  total: number;
  atLeast: boolean;
}

/** DirectorySort is a column the Users list can be sorted by. */
export type DirectorySort = 'name' | 'email' | 'role' | 'status' | 'joinedAt';

/** DirectoryQuery is what selects and orders the Users list, without the paging. */
export interface DirectoryQuery {
  search: string;
  roleId: string;
  status: '' | EntryStatus;
  sort: DirectorySort;
  desc: boolean;
}

/** User is a member as the details panel shows them. */
export interface User extends Omit<app.UserDTO, 'status'> {
  status: UserStatus;
}

/**
 * adminKeys are the roots of the cached administrative data. A change made in
 * one section may show in the others (an invitation changes a role's counts
 * and writes the audit log), so changes refresh them all.
 */
export const adminKeys = {
  users: ['users'] as const,
  invitations: ['invitations'] as const,
  roles: ['roles'] as const,
  audit: ['audit'] as const,
};

export const usersKeys = {
  directory: ['users', 'directory'] as const,
  page: (q: DirectoryQuery, page: number) => ['users', 'directory', q, page] as const,
  user: (id: string) => ['users', 'user', id] as const,
};

/** invalidateAdminData marks the Users list, invitations, roles and the audit log as stale. */
export function invalidateAdminData(qc: QueryClient) {
  return Promise.all(Object.values(adminKeys).map((queryKey) => qc.invalidateQueries({ queryKey })));
}

export function findDirectory(q: DirectoryQuery, offset: number, limit: number): Promise<DirectoryPage> {
  return call(() => Users.FindDirectory({ ...q, offset, limit })) as Promise<DirectoryPage>;
}

export function findUserByID(id: string): Promise<User> {
  return call(() => Users.FindUserByID(id)) as Promise<User>;
}

export function exportUsers(format: ExportFormat, q: DirectoryQuery): Promise<string> {
  return call(() => Users.ExportUsers({ format, ...q, offset: 0, limit: 0 }));
}

/** useUser is one member, for the details panel. */
export function useUser(id: string | undefined) {
  return useQuery({
    queryKey: usersKeys.user(id ?? ''),
    queryFn: () => findUserByID(id ?? ''),
    enabled: !!id,
  });
}

/** useUserMutation runs a change to a member and refreshes what it affects. */
function useUserMutation<V>(fn: (v: V) => Promise<User>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (user) => {
      qc.setQueryData(usersKeys.user(user.id), user);
      return invalidateAdminData(qc);
    },
  });
}

export function useChangeUserRole() {
  return useUserMutation(
    ({ id, roleId }: { id: string; roleId: string }) =>
      call(() => Users.ChangeUserRole(id, { roleId })) as Promise<User>,
  );
}

export function useDeactivateUser() {
  return useUserMutation((id: string) => call(() => Users.DeactivateUser(id)) as Promise<User>);
}

export function useActivateUser() {
  return useUserMutation((id: string) => call(() => Users.ActivateUser(id)) as Promise<User>);
}

export function useRemoveUser() {
  return useUserMutation((id: string) => call(() => Users.RemoveUser(id)) as Promise<User>);
}

export function useSendPasswordReset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(() => Users.SendPasswordReset(id)),
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.audit }),
  });
}

export function useExportUsers() {
  return useMutation({
    mutationFn: ({ format, query }: { format: ExportFormat; query: DirectoryQuery }) =>
      exportUsers(format, query),
  });
}
