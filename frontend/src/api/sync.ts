// Admin Settings → Sync: the connection to the organisation's directory
// server. The API token goes in, never out.
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import * as Sync from '../../wailsjs/go/app/Sync';
import type { app } from '../../wailsjs/go/models';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import { call, type Data } from './client';
import { systemKeys } from './system';

export type SyncSettings = Data<app.SyncSettingsDTO>;
export type SyncConnectParams = Data<app.SyncConnectParams>;
/** SyncStatus is where sync stands: running, changes waiting, last sync, last error. */
export type SyncStatus = Data<app.SyncStatusDTO>;

/** SYNC_STATUS is the event that carries every change of the SyncStatus. */
export const SYNC_STATUS = 'sync:status';
/** Where the API token is kept; '' when none is saved. */
export type TokenStore = 'keyring' | 'session' | '';

export const syncKeys = {
  settings: ['sync', 'settings'] as const,
  status: ['sync', 'status'] as const,
};

export function getSyncSettings(): Promise<SyncSettings> {
  return call(() => Sync.GetSyncSettings());
}

/**
 * connectSync checks the address and token with the server and keeps them.
 * It rejects with field "url" or "token" for what is wrong with either, with
 * a keyring.* key (field "token") when the keyring cannot keep the token
 * (offer sessionOnly), and with sync.other_organisation when the server
 * manages another organisation; nothing is changed then.
 */
export function connectSync(params: SyncConnectParams): Promise<SyncSettings> {
  return call(() => Sync.ConnectSync(params));
}

/** disconnectSync forgets the server and the token. */
export function disconnectSync(): Promise<SyncSettings> {
  return call(() => Sync.DisconnectSync());
}

/**
 * joinSync makes this Roster, not yet set up, a replica of the server's
 * organisation: it pulls everything, then Roster opens on the server's
 * members. It rejects as connectSync does, and with organisation.exists
 * once set up; a failed join changes nothing and can be tried again.
 */
export function joinSync(params: SyncConnectParams): Promise<SyncSettings> {
  return call(() => Sync.JoinSync(params));
}

export function getSyncStatus(): Promise<SyncStatus> {
  return call(() => Sync.GetSyncStatus());
}

/** syncNow syncs at once; it rejects with the sync's coded error (sync.not_connected, sync.unreachable, …). */
export function syncNow(): Promise<SyncStatus> {
  return call(() => Sync.SyncNow());
}

/** onSyncStatus follows every change of the sync status; call the result to stop. */
export function onSyncStatus(listener: (s: SyncStatus) => void): () => void {
  return EventsOn(SYNC_STATUS, listener);
}

/** useSyncStatus is the sync status, kept current by the sync:status event. */
export function useSyncStatus() {
  const qc = useQueryClient();
  useEffect(
    () =>
      onSyncStatus((s) => {
        qc.setQueryData(syncKeys.status, s);
        reloadAfterSync(qc, s);
      }),
    [qc],
  );
  return useQuery({ queryKey: syncKeys.status, queryFn: getSyncStatus });
}

/** The last sync whose changes the window's lists were read again for. */
let reloadedFor: string | undefined;

/**
 * reloadAfterSync has every list and detail shown read again once per
 * finished sync, which may have brought other administrators' changes;
 * the status event and Sync now's answer both report it, in either order.
 */
function reloadAfterSync(qc: QueryClient, s: SyncStatus) {
  if (s.running || !s.lastSyncAt || s.lastSyncAt === reloadedFor) return;
  reloadedFor = s.lastSyncAt;
  void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'sync' });
}

export function useSyncNow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: syncNow,
    onSuccess: (status) => {
      qc.setQueryData(syncKeys.status, status);
      reloadAfterSync(qc, status);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: syncKeys.status }),
  });
}

/** useJoinSync joins; on success the window leaves the first-run screen. */
export function useJoinSync() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: joinSync,
    onSuccess: async (settings) => {
      qc.setQueryData(syncKeys.settings, settings);
      await qc.invalidateQueries({ queryKey: systemKeys.state });
    },
  });
}

export function useSyncSettings() {
  return useQuery({ queryKey: syncKeys.settings, queryFn: getSyncSettings });
}

export function useConnectSync() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: connectSync,
    onSuccess: (settings) => {
      qc.setQueryData(syncKeys.settings, settings);
      qc.invalidateQueries({ queryKey: syncKeys.status });
    },
  });
}

export function useDisconnectSync() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: disconnectSync,
    onSuccess: (settings) => {
      qc.setQueryData(syncKeys.settings, settings);
      qc.invalidateQueries({ queryKey: syncKeys.status });
    },
  });
}
