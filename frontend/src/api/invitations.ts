import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as Invitations from '../../wailsjs/go/app/Invitations';
import type { app, backend } from '../../wailsjs/go/models';
import { call } from './client';
import { type ExportFormat, invalidateAdminData } from './users';

export type InvitationState = `${backend.InvitationState}`;
export type DeliveryState = `${backend.DeliveryState}`;

/** Invitation is an invitation with the delivery of its latest email. */
export interface Invitation extends Omit<app.InvitationDTO, 'state' | 'delivery'> {
  state: InvitationState;
  delivery: DeliveryState;
}

export interface InvitationPage {
  entries: Invitation[];
  total: number;
}

/** InvitationSort is a column the Invitations list can be sorted by. */
export type InvitationSort = 'createdAt' | 'email' | 'role' | 'invitedBy' | 'expiresAt' | 'delivery';

/** InvitationsQuery selects and orders the Invitations list; state "" means pending and expired. */
export interface InvitationsQuery {
  search: string;
  state: '' | 'pending' | 'expired';
  sort: InvitationSort;
  desc: boolean;
}

export const invitationsKeys = {
  page: (q: InvitationsQuery, offset: number, limit: number) =>
    ['invitations', 'list', q, offset, limit] as const,
  one: (id: string) => ['invitations', 'one', id] as const,
};

export function findInvitations(q: InvitationsQuery, offset: number, limit: number): Promise<InvitationPage> {
  return call(() =>
    Invitations.FindInvitations({ ...q, delivery: '', offset, limit }),
  ) as Promise<InvitationPage>;
}

/** useInvitations is a page of the Invitations list; the previous page stays while the next loads. */
export function useInvitations(q: InvitationsQuery, offset: number, limit: number) {
  return useQuery({
    queryKey: invitationsKeys.page(q, offset, limit),
    queryFn: () => findInvitations(q, offset, limit),
    placeholderData: keepPreviousData,
  });
}

export function useInvitation(id: string | undefined) {
  return useQuery({
    queryKey: invitationsKeys.one(id ?? ''),
    queryFn: () => call(() => Invitations.FindInvitationByID(id ?? '')) as Promise<Invitation>,
    enabled: !!id,
  });
}

/**
 * InviteValues is one person to invite: an address, a role's id, and whether
 * the administrator confirmed an address whose domain mixes alphabets (a
 * type, so a form can hold it).
 */
export type InviteValues = {
  email: string;
  role: string;
  confirmLookalike: boolean;
};

export function useInviteUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: InviteValues) => call(() => Invitations.InviteUser(v)) as Promise<Invitation>,
    onSuccess: () => invalidateAdminData(qc),
  });
}

function useInvitationMutation(fn: (id: string) => Promise<app.InvitationDTO>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(() => fn(id)) as Promise<Invitation>,
    onSuccess: (inv) => {
      qc.setQueryData(invitationsKeys.one(inv.id), inv);
      return invalidateAdminData(qc);
    },
  });
}

/** useDeleteInvitation cancels an invitation: its link stops working at once. */
export function useDeleteInvitation() {
  return useInvitationMutation(Invitations.DeleteInvitation);
}

/** useResendInvitation sends a new link, valid 7 more days; the old one stops working. */
export function useResendInvitation() {
  return useInvitationMutation(Invitations.ResendInvitation);
}

/** InvitationLink is an invitation with its new link, to be copied; the link is never stored in the window. */
export interface InvitationLink {
  invitation: Invitation;
  link: string;
}

/**
 * useRenewInvitationLink makes a new link for an invitation, valid 7 days,
 * and returns it to be copied: no email is sent, the old link stops working.
 */
export function useRenewInvitationLink() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(() => Invitations.RenewInvitationLink(id)) as Promise<InvitationLink>,
    onSuccess: (r) => {
      qc.setQueryData(invitationsKeys.one(r.invitation.id), r.invitation);
      return invalidateAdminData(qc);
    },
  });
}

export function useExportInvitations() {
  return useMutation({
    mutationFn: ({ format, query }: { format: ExportFormat; query: InvitationsQuery }) =>
      call(() => Invitations.ExportInvitations({ format, ...query, delivery: '', offset: 0, limit: 0 })),
  });
}
