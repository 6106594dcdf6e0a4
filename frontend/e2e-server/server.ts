import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { mailpitServer } from '../e2e/mailpit';

// The repository root, and the binary scripts/e2e-server.sh builds.
const root = path.resolve(import.meta.dirname, '..', '..');
const binary = process.env.ROSTER_SERVER_BINARY ?? path.join(root, 'build', 'bin', 'roster-server');

/** Where a server keeps its data: a SQLite file, or a database of its own in the test's PostgreSQL. */
export type Storage = 'sqlite' | 'postgresql';

/** A roster-server on a free loopback port and its own temporary database, sending email to mailpit. */
export interface RosterServer {
  /** base is the server's --base-url, and its OpenID Connect issuer. */
  base: string;
  /** addr is where this process listens: base, except for a second process on another's database (startServer's sameDatabaseAs). */
  addr: string;
  storage: Storage;
  /** run runs a command of the binary against the same database and returns its stdout. */
  run: (...args: string[]) => string;
  /** logs is what serve has logged so far (JSON lines). */
  logs: () => string;
  /** expireInvitation moves an invitation's expiry into the past, as time would, behind the server's back. */
  expireInvitation: (id: string) => void;
  stop: () => Promise<void>;
  /** The environment of its commands (the database and base URL), its outbox key and its OpenID Connect key, for a second process on its database. */
  env: NodeJS.ProcessEnv;
  outboxKey: string;
  oidcKey: string;
}

/** freePort returns a TCP port on loopback that nothing listens on. */
export async function freePort(): Promise<number> {
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

/** psql runs SQL in a PostgreSQL database; :'name' in the SQL reads the variable name. */
function psql(url: string, sql: string, vars: Record<string, string> = {}) {
  const args = [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1'];
  for (const [k, v] of Object.entries(vars)) args.push('-v', `${k}=${v}`);
  execFileSync('psql', args, { input: sql, encoding: 'utf8' });
}

/** A database of the server's own: a SQLite file in dir, or a new one in the test's PostgreSQL cluster. */
function newDatabase(storage: Storage, dir: string) {
  if (storage === 'sqlite') {
    const file = path.join(dir, 'roster.db');
    return {
      env: { ROSTER_SERVER_DB: file },
      expireInvitation: (id: string) =>
        execFileSync('python3', [
          '-c',
          'import sqlite3, sys\n' +
            'c = sqlite3.connect(sys.argv[1], timeout=10)\n' +
            'c.execute("UPDATE invitations SET expires_at = \'2000-01-01T00:00:00.000Z\' WHERE id = ?", (sys.argv[2],))\n' +
            'c.commit()\n',
          file,
          id,
        ]),
      drop: () => {},
    };
  }
  const cluster = process.env.ROSTER_TEST_POSTGRES;
  if (!cluster)
    throw new Error('ROSTER_TEST_POSTGRES is not set: run the test through scripts/e2e-server.sh');
  const name = `roster_e2e_${randomBytes(6).toString('hex')}`;
  psql(cluster, `CREATE DATABASE ${name}`);
  const url = new URL(cluster);
  url.pathname = `/${name}`;
  return {
    env: { ROSTER_SERVER_POSTGRES: url.toString() },
    expireInvitation: (id: string) =>
      psql(url.toString(), "UPDATE invitations SET expires_at = '2000-01-01T00:00:00Z' WHERE id = :'id'", {
        id,
      }),
    drop: () => psql(cluster, `DROP DATABASE ${name} WITH (FORCE)`),
  };
}

/**
 * startServer starts `roster-server serve` on storage and waits until it is
 * ready. It sends its email through the mailpit of scripts/with-services.sh,
 * with its outbox sealed by a key file of its own, and is an OpenID Connect
 * provider (its key file made at the start). With sameDatabaseAs, it starts
 * a second process on that server's database, with its base URL, outbox key
 * and OpenID Connect key (as a second process behind a load balancer runs),
 * listening on a port of its own; stopping it leaves the database.
 */
export async function startServer(
  storage: Storage,
  { sameDatabaseAs }: { sameDatabaseAs?: RosterServer } = {},
): Promise<RosterServer> {
  const { host, port: smtpPort } = mailpitServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-server-e2e-'));
  const db = sameDatabaseAs
    ? { env: {}, expireInvitation: sameDatabaseAs.expireInvitation, drop: () => {} }
    : newDatabase(storage, dir);
  const port = await freePort();
  const addr = `http://127.0.0.1:${port}`;
  const base = sameDatabaseAs?.base ?? addr;
  const env = sameDatabaseAs?.env ?? { ...process.env, ...db.env, ROSTER_SERVER_BASE_URL: base };
  const outboxKey = sameDatabaseAs?.outboxKey ?? path.join(dir, 'outbox.key');
  const oidcKey = sameDatabaseAs?.oidcKey ?? path.join(dir, 'oidc.key');
  const run = (...args: string[]) => execFileSync(binary, args, { env, encoding: 'utf8' });
  let output = '';
  const proc: ChildProcess = spawn(
    binary,
    [
      'serve',
      '--addr',
      `127.0.0.1:${port}`,
      '--smtp-host',
      host,
      '--smtp-port',
      smtpPort,
      '--smtp-security',
      'none',
      '--smtp-from',
      'directory@example.com',
      '--smtp-from-name',
      'Example Ltd directory',
      '--outbox-key-file',
      outboxKey,
      '--oidc-key-file',
      oidcKey,
    ],
    { env },
  );
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
    db.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`roster-server exited with ${proc.exitCode}:\n${output}`);
    const res = await fetch(`${addr}/readyz`).catch(() => undefined);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`roster-server was not ready on ${addr}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base,
    addr,
    storage,
    run,
    logs: () => output,
    expireInvitation: db.expireInvitation,
    stop,
    env,
    outboxKey,
    oidcKey,
  };
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
