import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mailpitServer } from '../e2e/mailpit';

// The test harness that plays a Roster desktop (scripts/e2e-desktop), which
// scripts/e2e-server.sh builds: the desktop's own services and outbox worker
// on a desktop database of its own, sending to mailpit.
const root = path.resolve(import.meta.dirname, '..', '..');
const binary = process.env.ROSTER_E2E_DESKTOP_BINARY ?? path.join(root, 'build', 'bin', 'e2e-desktop');

/** A desktop whose links point at one server and whose admin API token it holds. */
export interface Desktop {
  /** invite invites a person: the desktop mints the link, the server gets its hash, the email goes out. It returns the server's invitation id. */
  invite: (email: string, role: string) => string;
  /** joined tells the desktop that the invitee registered with the link (what the sync will tell it). */
  joined: (link: string, name: string) => void;
  /** reset sends a member a password reset link by email; the server gets its hash for its member userID. */
  reset: (email: string, userID: string) => void;
  close: () => void;
}

/** startDesktop sets up a desktop for an organisation whose links point at server. */
export function startDesktop(
  server: string,
  apiToken: string,
  admin: { name: string; email: string },
): Desktop {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-desktop-e2e-'));
  const db = path.join(dir, 'roster.db');
  const env = { ...process.env, ROSTER_E2E_API_TOKEN: apiToken };
  const run = (command: string, ...args: string[]) =>
    JSON.parse(execFileSync(binary, [command, '--db', db, ...args], { env, encoding: 'utf8' }));
  const { host, port } = mailpitServer();
  run(
    'setup',
    '--organisation',
    'Example Ltd',
    '--admin-name',
    admin.name,
    '--admin-email',
    admin.email,
    '--platform-url',
    server,
    '--smtp',
    `${host}:${port}`,
  );
  return {
    invite: (email, role) => run('invite', '--server', server, '--email', email, '--role', role).id as string,
    joined: (link, name) => {
      run('joined', '--link', link, '--name', name);
    },
    reset: (email, userID) => {
      run('reset', '--server', server, '--email', email, '--user', userID);
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
