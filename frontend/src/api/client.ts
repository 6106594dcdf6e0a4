// The bridge to the Go backend. Every call to a generated binding goes through
// `call`, so that rejections arrive as AppError with the backend's code.

/** Data is a generated model class as plain data: what a call returns, and what can be copied with a spread. */
export type Data<T> = Omit<T, 'convertValues'>;

export type ErrorCode =
  | 'canceled'
  | 'conflict'
  | 'forbidden'
  | 'internal'
  | 'invalid'
  | 'not_found'
  | 'unavailable';

/** AppError is a failed backend call: a code, a sentence for the administrator, and the input it is about. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly key?: string;
  readonly args?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    field?: string,
    key?: string,
    args?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
    this.key = key;
    this.args = args;
  }
}

interface ErrorPayload {
  code?: unknown;
  message?: unknown;
  field?: unknown;
  key?: unknown;
  args?: unknown;
}

const codes: ErrorCode[] = [
  'canceled',
  'conflict',
  'forbidden',
  'internal',
  'invalid',
  'not_found',
  'unavailable',
];

/** toAppError turns whatever a rejected binding gives (the Go ErrorFormatter's object, or an Error) into an AppError. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e && typeof e === 'object' && 'code' in e) {
    const p = e as ErrorPayload;
    const code = codes.includes(p.code as ErrorCode) ? (p.code as ErrorCode) : 'internal';
    return new AppError(
      code,
      typeof p.message === 'string' ? p.message : 'Something went wrong.',
      typeof p.field === 'string' && p.field ? p.field : undefined,
      typeof p.key === 'string' && p.key ? p.key : undefined,
      p.args && typeof p.args === 'object' ? (p.args as Record<string, unknown>) : undefined,
    );
  }
  const message = e instanceof Error ? e.message : String(e);
  return new AppError(
    'unavailable',
    message || 'The connection to Roster was lost.',
    undefined,
    'connection',
  );
}

/** call runs one binding and rejects with an AppError. */
export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toAppError(e);
  }
}
