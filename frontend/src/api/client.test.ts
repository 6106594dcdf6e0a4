import { describe, expect, it } from 'vitest';
import { AppError, call, toAppError } from './client';

describe('toAppError', () => {
  it('keeps the code, field, key and args of a formatted Go error', () => {
    const e = toAppError({
      code: 'conflict',
      message: 'x is already a member.',
      field: 'email',
      key: 'user.exists',
      args: { email: 'x' },
    });
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({
      code: 'conflict',
      message: 'x is already a member.',
      field: 'email',
      key: 'user.exists',
    });
    expect(e.args).toEqual({ email: 'x' });
  });

  it('treats an unknown code as internal', () => {
    expect(toAppError({ code: 'weird', message: 'm' }).code).toBe('internal');
  });

  it('turns a bridge failure into an unavailable error', () => {
    const e = toAppError(new Error('Call to app.System.GetState timed out'));
    expect(e.code).toBe('unavailable');
    expect(e.message).toContain('timed out');
  });
});

describe('call', () => {
  it('rejects with an AppError', async () => {
    await expect(call(() => Promise.reject({ code: 'not_found', message: 'gone' }))).rejects.toMatchObject({
      name: 'AppError',
      code: 'not_found',
    });
  });

  it('resolves with the result', async () => {
    await expect(call(() => Promise.resolve(42))).resolves.toBe(42);
  });
});
