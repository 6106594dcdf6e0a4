// Admin Settings → Sync: the connection to the organisation's directory
// server. The API token goes in, never out.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as Sync from '../../wailsjs/go/app/Sync';
import type { app } from '../../wailsjs/go/models';
import { call, type Data } from './client';

export type SyncSettings = Data<app.SyncSettingsDTO>;
export type SyncConnectParams = Data<app.SyncConnectParams>;
/** Where the API token is kept; '' when none is saved. */
export type TokenStore = 'keyring' | 'session' | '';

export const syncKeys = {
  settings: ['sync', 'settings'] as const,
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

export function useSyncSettings() {
  return useQuery({ queryKey: syncKeys.settings, queryFn: getSyncSettings });
}

export function useConnectSync() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: connectSync,
    onSuccess: (settings) => qc.setQueryData(syncKeys.settings, settings),
  });
}

export function useDisconnectSync() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: disconnectSync,
    onSuccess: (settings) => qc.setQueryData(syncKeys.settings, settings),
  });
}
