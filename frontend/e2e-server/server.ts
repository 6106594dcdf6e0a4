import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

// The repository root, and the binary scripts/e2e-server.sh builds.
const root = path.resolve(import.meta.dirname, '..', '..');
const binary = process.env.ROSTER_SERVER_BINARY ?? path.join(root, 'build', 'bin', 'roster-server');

/** A roster-server on a free loopback port and its own temporary database. */
export interface RosterServer {
  base: string;
  dbPath: string;
  /** run runs a command of the binary against the same database and returns its stdout. */
  run: (...args: string[]) => string;
  /** logs is what serve has logged so far (JSON lines). */
  logs: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** startServer starts `roster-server serve` and waits until it is ready. */
export async function startServer(): Promise<RosterServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-server-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dbPath = path.join(dir, 'roster.db');
  const env = { ...process.env, ROSTER_SERVER_DB: dbPath, ROSTER_SERVER_BASE_URL: base };
  const run = (...args: string[]) => execFileSync(binary, args, { env, encoding: 'utf8' });
  let output = '';
  const proc: ChildProcess = spawn(binary, ['serve', '--addr', `127.0.0.1:${port}`], { env });
  proc.stdout?.on('data', (b) => {
    output += b;
  });
  proc.stderr?.on('data', (b) => {
    output += b;
  });
  const stop = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`roster-server exited with ${proc.exitCode}:\n${output}`);
    const res = await fetch(`${base}/readyz`).catch(() => undefined);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`roster-server was not ready on ${base}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base, dbPath, run, logs: () => output, stop };
}

/** A link token as a desktop mints it: 256 random bits, base64url, and its SHA-256 in hex. */
export interface MintedToken {
  token: string;
  hash: string;
}

export function mint(): MintedToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: createHash('sha256').update(token).digest('hex') };
}

/** An answer of the admin API. */
export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON of the answer, checked field by field
  body: any;
  text: string;
}

/** adminAPI calls the admin API as a desktop does: a bearer token and a Roster-Client header. */
export function adminAPI(base: string, token: string) {
  return async (method: string, apiPath: string, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      'Roster-Client': 'Roster desktop (end-to-end test)',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${base}/api/v1${apiPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null, text };
  };
}

/** expectAccessible fails on any axe-core violation of the page. */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const report = results.violations.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help}\n${v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ')}`)
        .join('\n')}`,
  );
  expect(report, `axe-core on ${what}`).toEqual([]);
}

/** expireInvitation moves an invitation's expiry into the past, as time would, behind the server's back. */
export function expireInvitation(dbPath: string, id: string) {
  execFileSync('python3', [
    '-c',
    'import sqlite3, sys\n' +
      'c = sqlite3.connect(sys.argv[1], timeout=10)\n' +
      'c.execute("UPDATE invitations SET expires_at = \'2000-01-01T00:00:00.000Z\' WHERE id = ?", (sys.argv[2],))\n' +
      'c.commit()\n',
    dbPath,
    id,
  ]);
}
