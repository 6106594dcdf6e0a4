// Invite multiple users: the templates, a file read into a preview (open
// dialog, native drop, or browser upload), correcting rows, saving the
// rejected ones and sending. Previews live in Go, so a reloaded window finds
// them again with findImports().
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as Imports from '../../wailsjs/go/app/Imports';
import type { app } from '../../wailsjs/go/models';
import { EventsOn, OnFileDrop, OnFileDropOff } from '../../wailsjs/runtime/runtime';
import { call, type Data } from './client';
import { emailKeys } from './email';
import { invalidateAdminData } from './users';

export type Import = Data<app.ImportDTO>;
export type ImportSummary = app.ImportSummaryDTO;
export type ImportRow = Data<app.ImportRowDTO>;
type ImportRowsPage = app.ImportRowsPageDTO;
type ImportRowsParams = app.ImportRowsParams;
type ImportRowUpdate = app.ImportRowUpdateDTO;
export type ImportSendResult = Data<app.ImportSendResultDTO>;
export type TemplateFormat = 'csv' | 'xlsx';

type ImportPhase = 'reading' | 'validating' | 'sending';

/** ImportProgress is the payload of the `import:progress` event. */
export interface ImportProgress {
  importId: string;
  phase: ImportPhase;
  /** done/total are in the phase's units (bytes or rows, addresses, rows): show their ratio. */
  done: number;
  total: number;
  /** In the first event of a preview: its first rows, before the file is read to the end. */
  firstRows?: ImportRow[];
  /** The last event of an operation. */
  final: boolean;
}

const IMPORT_PROGRESS = 'import:progress';

/**
 * isDesktop is true in Roster's own window, where files come as paths (the
 * native open dialog and drop); in a browser they come through its upload.
 */
export const isDesktop = typeof window !== 'undefined' && !window.location.protocol.startsWith('http');

export const importKeys = {
  all: ['imports'] as const,
  one: (id: string) => ['imports', id] as const,
  rows: (id: string, params: ImportRowsParams) => ['imports', id, 'rows', params] as const,
};

/** downloadTemplate saves the template where the administrator chooses; '' when cancelled. */
export function downloadTemplate(format: TemplateFormat): Promise<string> {
  return call(() => Imports.DownloadTemplate(format));
}

/** openImportFile previews a file chosen in the native open dialog; null when cancelled. */
export async function openImportFile(): Promise<Import | null> {
  return (await call(() => Imports.OpenImportFile())) ?? null;
}

/** previewImportFile previews a file by its absolute path (a native drop). */
export function previewImportFile(path: string): Promise<Import> {
  return call(() => Imports.PreviewImportFile(path));
}

/**
 * cancelImportPreview stops the file being read: its openImportFile,
 * previewImportFile or previewImportData call rejects with code 'canceled'.
 */
export function cancelImportPreview(): Promise<void> {
  return call(() => Imports.CancelImportPreview());
}

/** previewImportData previews a file the browser read (the dev path without native drops). */
export async function previewImportData(file: File): Promise<Import> {
  const data = await toBase64(file);
  return call(() => Imports.PreviewImportData(file.name, data));
}

export function findImports(): Promise<Import[]> {
  return call(() => Imports.FindImports());
}

function findImportRows(id: string, params: ImportRowsParams): Promise<ImportRowsPage> {
  return call(() => Imports.FindImportRows(id, params));
}

/** updateImportRow corrects a row; the result holds it and the rows whose state changed with it. */
function updateImportRow(id: string, row: number, email: string, role: string): Promise<ImportRowUpdate> {
  return call(() => Imports.UpdateImportRow(id, { row, email, role }));
}

/** saveRejectedRows saves the rows that cannot be sent as CSV; '' when cancelled. */
export function saveRejectedRows(id: string): Promise<string> {
  return call(() => Imports.SaveRejectedRows(id));
}

function sendImport(id: string): Promise<ImportSendResult> {
  return call(() => Imports.SendImport(id));
}

export function discardImport(id: string): Promise<void> {
  return call(() => Imports.DiscardImport(id));
}

/** onImportProgress subscribes to progress events; call the result to stop. */
export function onImportProgress(listener: (p: ImportProgress) => void): () => void {
  return EventsOn(IMPORT_PROGRESS, listener);
}

/**
 * onFileDrop calls listener with the path of the first file dropped anywhere
 * on the window (Wails' native drop); call the result to stop.
 */
export function onFileDrop(listener: (path: string) => void): () => void {
  OnFileDrop((_x, _y, paths) => {
    const path = paths?.[0];
    if (path) listener(path);
  }, false);
  return () => OnFileDropOff();
}

/** toBase64 reads a file as base64, without the data URL prefix. */
function toBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** useImportRows is a page of a preview's rows. */
export function useImportRows(id: string | undefined, params: ImportRowsParams) {
  return useQuery({
    queryKey: importKeys.rows(id ?? '', params),
    queryFn: () => findImportRows(id as string, params),
    enabled: Boolean(id),
    placeholderData: (previous) => previous,
  });
}

export function useUpdateImportRow(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (p: { row: number; email: string; role: string }) =>
      updateImportRow(id, p.row, p.email, p.role),
    onSuccess: () => qc.invalidateQueries({ queryKey: importKeys.one(id) }),
  });
}

/**
 * useSendImport sends a preview's valid rows. Afterwards the preview is
 * stale (its rows were sent, or checked again and refused); once sent, so
 * are the Users list, invitations, roles in use, the audit log and the mail queue.
 */
export function useSendImport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendImport(id),
    onSuccess: (_res, id) =>
      Promise.all([
        qc.invalidateQueries({ queryKey: importKeys.one(id) }),
        qc.invalidateQueries({ queryKey: emailKeys.queue }),
        invalidateAdminData(qc),
      ]),
    onError: (_err, id) => qc.invalidateQueries({ queryKey: importKeys.one(id) }),
  });
}
