import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as Roles from '../../wailsjs/go/app/Roles';
import type { app, backend } from '../../wailsjs/go/models';
import { call } from './client';
import { adminKeys, invalidateAdminData } from './users';

export type Permission = `${backend.Permission}`;

/** permissions lists every permission in the order of the guide's role table. */
export const permissions: Permission[] = [
  'chat',
  'use_skills',
  'create_skills',
  'manage_users',
  'change_settings',
  'configure_models',
];

/** The ids of the built-in roles. */
export const ROLE_USER = 'user';
export const ROLE_ADMINISTRATOR = 'administrator';

/** Role is a role with its permissions and how many members and open invitations have it. */
export interface Role extends Omit<app.RoleDTO, 'permissions'> {
  permissions: Permission[];
}

/** RoleValues is what a custom role is made of (a type, so a form can hold it). */
export type RoleValues = {
  name: string;
  permissions: Permission[];
};

/** useRoles is every role, the built-in ones first. */
export function useRoles() {
  return useQuery({
    queryKey: adminKeys.roles,
    queryFn: () => call(() => Roles.FindRoles()) as Promise<Role[]>,
  });
}

export function useCreateRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: RoleValues) => call(() => Roles.CreateRole(v)) as Promise<Role>,
    onSuccess: () => invalidateAdminData(qc),
  });
}

export function useUpdateRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...v }: RoleValues & { id: string }) =>
      call(() => Roles.UpdateRole(id, v)) as Promise<Role>,
    onSuccess: () => invalidateAdminData(qc),
  });
}

export function useDeleteRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(() => Roles.DeleteRole(id)),
    onSuccess: () => invalidateAdminData(qc),
  });
}
