import { useReducer } from 'react';
import type { AppError } from '../../api/client';
import type { Import, ImportProgress, ImportRow, ImportSendResult, ImportSummary } from '../../api/imports';

/**
 * ImportPhase is where "Invite multiple users" is: waiting for a file (with
 * the last file's error), reading one (the preview it replaces kept aside),
 * showing a preview, storing its invitations, or following their emails.
 */
export type ImportPhase =
  | { kind: 'upload'; error: AppError | null }
  | {
      kind: 'reading';
      name: string;
      progress: ImportProgress | null;
      firstRows: ImportRow[];
      /** The preview shown before, again shown if the reading fails or is cancelled. */
      previous: Import | null;
    }
  | { kind: 'preview'; current: Import; error: AppError | null }
  | { kind: 'sending'; current: Import; progress: ImportProgress | null }
  | { kind: 'sent'; current: Import; result: ImportSendResult };

export type ImportAction =
  /** A preview still open in Go (the window was reloaded) was found. */
  | { type: 'found'; current: Import }
  | { type: 'read'; name: string }
  | { type: 'progress'; progress: ImportProgress }
  /** The file was read; null when the open dialog was cancelled. */
  | { type: 'loaded'; next: Import | null }
  /** Reading, sending or finding the open previews failed. */
  | { type: 'failed'; error: AppError }
  /** A corrected row changed the preview's counts. */
  | { type: 'edited'; summary: ImportSummary }
  | { type: 'send' }
  | { type: 'sent'; result: ImportSendResult }
  /** Back to the upload: another file, or the dialog closed. */
  | { type: 'reset' };

export const initialPhase: ImportPhase = { kind: 'upload', error: null };

/** shown returns the preview a phase shows or keeps, or null. */
export function shown(phase: ImportPhase): Import | null {
  switch (phase.kind) {
    case 'upload':
      return null;
    case 'reading':
      return phase.previous;
    default:
      return phase.current;
  }
}

/** busy reports whether a file is being read or invitations stored: no other file is taken then. */
export function busy(phase: ImportPhase): boolean {
  return phase.kind === 'reading' || phase.kind === 'sending';
}

/** back returns the phase before a reading: its previous preview, or the upload. */
function back(previous: Import | null, error: AppError | null): ImportPhase {
  return previous ? { kind: 'preview', current: previous, error } : { kind: 'upload', error };
}

/**
 * importPhase is the dialog's reducer. An action that does not fit the
 * phase (a late event, a reading that ends after the dialog was closed)
 * leaves it as it is.
 */
export function importPhase(phase: ImportPhase, action: ImportAction): ImportPhase {
  switch (action.type) {
    case 'found':
      return phase.kind === 'upload'
        ? { kind: 'preview', current: action.current, error: phase.error }
        : phase;
    case 'read':
      if (busy(phase)) return phase;
      return { kind: 'reading', name: action.name, progress: null, firstRows: [], previous: shown(phase) };
    case 'progress': {
      const progress = action.progress;
      if (phase.kind === 'reading') {
        const firstRows = progress.firstRows?.length ? progress.firstRows : phase.firstRows;
        return { ...phase, progress, firstRows };
      }
      return phase.kind === 'sending' ? { ...phase, progress } : phase;
    }
    case 'loaded':
      if (phase.kind !== 'reading') return phase;
      return action.next
        ? { kind: 'preview', current: action.next, error: null }
        : back(phase.previous, null);
    case 'failed':
      switch (phase.kind) {
        case 'reading':
          // Cancelling is what the administrator asked for, not an error.
          return back(phase.previous, action.error.code === 'canceled' ? null : action.error);
        case 'sending':
          return { kind: 'preview', current: phase.current, error: action.error };
        case 'upload':
          return { kind: 'upload', error: action.error };
        default:
          return phase;
      }
    case 'edited':
      return phase.kind === 'preview'
        ? { ...phase, current: { ...phase.current, summary: action.summary } }
        : phase;
    case 'send':
      return phase.kind === 'preview' ? { kind: 'sending', current: phase.current, progress: null } : phase;
    case 'sent':
      if (phase.kind !== 'sending') return phase;
      return {
        kind: 'sent',
        current: { ...phase.current, summary: action.result.summary },
        result: action.result,
      };
    case 'reset':
      return initialPhase;
  }
}

/** useImportPhase is the dialog's phase and its dispatch. */
export function useImportPhase() {
  return useReducer(importPhase, initialPhase);
}
