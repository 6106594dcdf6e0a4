import { describe, expect, it } from 'vitest';
import { AppError } from '../../api/client';
import type { Import, ImportProgress, ImportSendResult, ImportSummary } from '../../api/imports';
import { busy, type ImportPhase, importPhase, initialPhase, shown } from './useImportPhase';

const summary = (over: Partial<ImportSummary> = {}): ImportSummary => ({
  rows: 2,
  valid: 1,
  invalid: 1,
  sent: 0,
  blankRows: 0,
  missingEmail: 0,
  invalidEmail: 1,
  duplicate: 0,
  member: 0,
  invited: 0,
  missingRole: 0,
  unknownRole: 0,
  extraColumns: 0,
  tooLong: 0,
  malformed: 0,
  lookalike: 0,
  ...over,
});

const preview = (id: string): Import => ({
  id,
  file: { name: `${id}.csv`, kind: 'csv', encoding: 'utf-8', separator: ',', sheet: '' },
  roles: ['User'],
  summary: summary(),
  createdAt: '2026-11-26T10:00:00.000Z',
  sentAt: '',
});

const progress = (over: Partial<ImportProgress> = {}): ImportProgress => ({
  importId: 'a',
  phase: 'reading',
  done: 1,
  total: 2,
  final: false,
  ...over,
});

const refused = new AppError('invalid', 'The columns do not match.', undefined, 'import.header');
const canceled = new AppError('canceled', 'Reading was cancelled.', undefined, 'import.canceled');

/** run applies actions in turn from a phase. */
function run(from: ImportPhase, ...actions: Parameters<typeof importPhase>[1][]): ImportPhase {
  return actions.reduce(importPhase, from);
}

describe('importPhase', () => {
  it('reads a file into a preview, keeping the first rows of the progress', () => {
    const row = {
      row: 2,
      email: 'a@example.com',
      role: 'User',
      valid: true,
      sent: false,
      issues: [],
      punycode: '',
    };
    let p = run(initialPhase, { type: 'read', name: 'a.csv' });
    expect(p).toEqual({ kind: 'reading', name: 'a.csv', progress: null, firstRows: [], previous: null });
    expect(busy(p)).toBe(true);
    p = run(
      p,
      { type: 'progress', progress: progress({ firstRows: [row] }) },
      { type: 'progress', progress: progress({ done: 2 }) },
    );
    expect(p).toMatchObject({ kind: 'reading', firstRows: [row], progress: { done: 2 } });
    p = run(p, { type: 'loaded', next: preview('a') });
    expect(p).toEqual({ kind: 'preview', current: preview('a'), error: null });
    expect(busy(p)).toBe(false);
  });

  it('goes back to the upload with the error of a refused file, and without one when cancelled', () => {
    expect(run(initialPhase, { type: 'read', name: 'a.csv' }, { type: 'failed', error: refused })).toEqual({
      kind: 'upload',
      error: refused,
    });
    expect(run(initialPhase, { type: 'read', name: 'a.csv' }, { type: 'failed', error: canceled })).toEqual(
      initialPhase,
    );
    expect(run(initialPhase, { type: 'read', name: '' }, { type: 'loaded', next: null })).toEqual(
      initialPhase,
    );
  });

  it('keeps the preview shown while another file is read, and shows it again if that one fails', () => {
    const open: ImportPhase = { kind: 'preview', current: preview('a'), error: null };
    const reading = run(open, { type: 'read', name: 'b.csv' });
    expect(shown(reading)).toEqual(preview('a'));
    expect(run(reading, { type: 'failed', error: refused })).toEqual({
      kind: 'preview',
      current: preview('a'),
      error: refused,
    });
    expect(run(reading, { type: 'failed', error: canceled })).toEqual(open);
    expect(run(reading, { type: 'loaded', next: preview('b') })).toEqual({
      kind: 'preview',
      current: preview('b'),
      error: null,
    });
  });

  it('takes no second file while one is read or sent', () => {
    const reading = run(initialPhase, { type: 'read', name: 'a.csv' });
    expect(run(reading, { type: 'read', name: 'b.csv' })).toBe(reading);
    const sending = run({ kind: 'preview', current: preview('a'), error: null }, { type: 'send' });
    expect(run(sending, { type: 'read', name: 'b.csv' })).toBe(sending);
  });

  it('sends a preview, follows the progress and ends with the result and its counts', () => {
    const result: ImportSendResult = { sent: 1, skipped: 1, summary: summary({ valid: 0, sent: 1 }) };
    let p = run({ kind: 'preview', current: preview('a'), error: refused }, { type: 'send' });
    expect(p).toEqual({ kind: 'sending', current: preview('a'), progress: null });
    p = run(p, { type: 'progress', progress: progress({ phase: 'sending' }) });
    expect(p).toMatchObject({ kind: 'sending', progress: { phase: 'sending' } });
    p = run(p, { type: 'sent', result });
    expect(p).toEqual({ kind: 'sent', current: { ...preview('a'), summary: result.summary }, result });
  });

  it('shows the preview again with the error when sending fails', () => {
    const p = run(
      { kind: 'preview', current: preview('a'), error: null },
      { type: 'send' },
      { type: 'failed', error: refused },
    );
    expect(p).toEqual({ kind: 'preview', current: preview('a'), error: refused });
  });

  it('updates the counts after a correction', () => {
    const p = run(
      { kind: 'preview', current: preview('a'), error: null },
      { type: 'edited', summary: summary({ valid: 2, invalid: 0 }) },
    );
    expect(p).toMatchObject({ kind: 'preview', current: { id: 'a', summary: { valid: 2, invalid: 0 } } });
  });

  it('picks up an open preview only while waiting for a file', () => {
    expect(run(initialPhase, { type: 'found', current: preview('a') })).toEqual({
      kind: 'preview',
      current: preview('a'),
      error: null,
    });
    const reading = run(initialPhase, { type: 'read', name: 'b.csv' });
    expect(run(reading, { type: 'found', current: preview('a') })).toBe(reading);
  });

  it('ignores what comes late, and starts over on reset', () => {
    const open: ImportPhase = { kind: 'preview', current: preview('a'), error: null };
    expect(run(open, { type: 'loaded', next: preview('b') })).toBe(open);
    expect(run(open, { type: 'progress', progress: progress() })).toBe(open);
    expect(run(open, { type: 'sent', result: { sent: 1, skipped: 0, summary: summary() } })).toBe(open);
    expect(run(initialPhase, { type: 'failed', error: refused }, { type: 'reset' })).toEqual(initialPhase);
  });
});
