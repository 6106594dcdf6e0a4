import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root } from './fixtures';

// A real roster-server for the desktop's sync specs (built from this tree, or
// ROSTER_SERVER_BINARY) on a free loopback port with its own SQLite file.

/** freePort returns a loopback port that nothing listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Server is a running roster-server with ada@example.com as its first Administrator. */
export interface Server {
  url: string;
  /** token is an admin API token of ada@example.com. */
  token: string;
  /** run runs the binary once with args against the same database and base URL. */
  run: (...args: string[]) => string;
  stop: () => Promise<void>;
}

/**
 * startServer runs `init` for “Server Org” (Ada Admin, ada@example.com), makes
 * Ada an API token and serves on a free loopback port; stop ends it.
 */
export async function startServer(): Promise<Server> {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-sync-e2e-'));
  let binary = process.env.ROSTER_SERVER_BINARY ?? '';
  if (!binary) {
    binary = path.join(dir, 'roster-server');
    execFileSync('go', ['build', '-tags', 'sqlite_fts5', '-o', binary, './cmd/roster-server'], {
      cwd: root,
      timeout: 300_000,
    });
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, ROSTER_SERVER_DB: path.join(dir, 'server.db'), ROSTER_SERVER_BASE_URL: url };
  const run = (...args: string[]) => execFileSync(binary, args, { env, encoding: 'utf8' });
  run(
    'init',
    '--organisation',
    'Server Org',
    '--admin-email',
    'ada@example.com',
    '--admin-name',
    'Ada Admin',
    '--json',
  );
  const token = JSON.parse(run('token', 'create', '--email', 'ada@example.com', '--json')).token as string;
  const proc: ChildProcess = spawn(binary, ['serve', '--addr', `127.0.0.1:${port}`], { env });
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    token,
    run,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
