import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

// The test relying party (scripts/oidc-rp), built by scripts/e2e-server.sh:
// a chat platform's side of OpenID Connect, on coreos/go-oidc and
// golang.org/x/oauth2. The browser goes through its /login, /callback and
// /logout; the test asks it for the rest.
const root = path.resolve(import.meta.dirname, '..', '..');
const binary = process.env.ROSTER_OIDC_RP_BINARY ?? path.join(root, 'build', 'bin', 'oidc-rp');

/** An answer of the relying party: its JSON, and its status. */
export interface RPAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the JSON of the answer, checked field by field
  body: any;
}

/** A running relying party for one browser. */
export interface RelyingParty {
  base: string;
  /** refresh refreshes the tokens; previous uses the refresh token from before the last rotation. */
  refresh: (which?: 'current' | 'previous') => Promise<RPAnswer>;
  /** userinfo calls the userinfo endpoint with the access token, at via's host if given. */
  userinfo: (via?: string) => Promise<RPAnswer>;
  /** introspect asks the introspection endpoint about the access token, at via's host if given. */
  introspect: (via?: string) => Promise<RPAnswer>;
  /** codes is how many authorization codes the provider has sent back. */
  codes: () => Promise<number>;
  stop: () => Promise<void>;
}

/**
 * startRP starts the relying party for a confidential client of issuer on
 * port (the port of the redirect URIs registered for the client), which
 * authenticates at the token endpoint with client_secret_basic or
 * client_secret_post (authStyle). The secret goes through the environment,
 * not the command line.
 */
export async function startRP(
  issuer: string,
  clientID: string,
  secret: string,
  port: number,
  authStyle: 'basic' | 'post',
): Promise<RelyingParty> {
  const proc: ChildProcess = spawn(
    binary,
    ['--issuer', issuer, '--client-id', clientID, '--auth-style', authStyle, '--listen', `127.0.0.1:${port}`],
    { env: { ...process.env, ROSTER_OIDC_RP_CLIENT_SECRET: secret } },
  );
  let output = '';
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oidc-rp did not start:\n${output}`)), 15_000);
    proc.stdout?.on('data', (b) => {
      output += b;
      const line = output.split('\n');
      if (line.length > 1) {
        clearTimeout(timer);
        resolve(line[0].trim());
      }
    });
    proc.stderr?.on('data', (b) => {
      output += b;
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`oidc-rp exited with ${code}:\n${output}`));
    });
  });
  const call = async (method: string, route: string): Promise<RPAnswer> => {
    const res = await fetch(`${base}${route}`, { method });
    return { status: res.status, body: await res.json() };
  };
  const withVia = (route: string, via?: string) => (via ? `${route}?via=${encodeURIComponent(via)}` : route);
  return {
    base,
    refresh: (which = 'current') =>
      call('POST', which === 'previous' ? '/refresh?token=previous' : '/refresh'),
    userinfo: (via) => call('GET', withVia('/userinfo', via)),
    introspect: (via) => call('POST', withVia('/introspect', via)),
    codes: async () => (await call('GET', '/status')).body.codes as number,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}
