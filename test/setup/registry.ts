// Local registries for tests (no internet in CI): Debian's docker-registry (distribution 2.8) on
// 127.0.0.1 with a free port and a temp storage dir, optionally behind token auth served by a small
// issuer below that signs JWTs with a throwaway key and certificate made by openssl.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface TestRegistry {
  /** host:port, as used in image references. */
  host: string;
  url: string;
  storageDir: string;
  stop(): Promise<void>;
}

export interface TokenAuthOptions {
  /** user -> password accepted by the token issuer; anonymous requests are refused. */
  users: Record<string, string>;
}

export interface StartOptions {
  /** Share another registry's storage (read what it has); not removed on stop. */
  storageDir?: string;
  tokenAuth?: TokenAuthOptions;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startRegistry(opts: StartOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-registry-'));
  const storageDir = opts.storageDir ?? join(dir, 'storage');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  let issuer: TokenIssuer | undefined;
  let authYaml = '';
  if (opts.tokenAuth) {
    issuer = await startTokenIssuer(dir, opts.tokenAuth.users);
    authYaml = [
      'auth:',
      '  token:',
      `    realm: ${issuer.realm}`,
      `    service: ${issuer.service}`,
      `    issuer: ${issuer.issuer}`,
      `    rootcertbundle: ${issuer.certPath}`,
      '',
    ].join('\n');
  }
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storageDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
    authYaml,
  ].join('\n');
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, config);
  const proc = spawn(REGISTRY_BIN, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://${host}`;
  try {
    await waitFor(async () => {
      if (proc.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
      const res = await fetch(`${url}/v2/`).catch(() => undefined);
      return res !== undefined && (res.status === 200 || res.status === 401);
    }, 15_000);
  } catch (e) {
    await stopProcess(proc);
    await issuer?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    host,
    url,
    storageDir,
    async stop() {
      await stopProcess(proc);
      await issuer?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface TokenIssuer {
  realm: string;
  service: string;
  issuer: string;
  certPath: string;
  stop(): Promise<void>;
}

/**
 * A token service in the shape docker's token spec describes: GET ?service=&scope= with HTTP Basic
 * credentials returns {token}; the JWT carries the cert in `x5c`, which distribution checks against
 * its rootcertbundle.
 */
async function startTokenIssuer(dir: string, users: Record<string, string>): Promise<TokenIssuer> {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      '/CN=cmp-test-token-issuer',
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(keyPath);
  const certDer = new X509Certificate(readFileSync(certPath)).raw.toString('base64');
  const service = 'cmp-test-registry';
  const issuer = 'cmp-test-issuer';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization ?? '';
    const [user, pass] = auth.startsWith('Basic ')
      ? Buffer.from(auth.slice(6), 'base64').toString('utf8').split(/:(.*)/s)
      : [];
    if (!user || users[user] === undefined || users[user] !== pass) {
      res.writeHead(401, {
        'Content-Type': 'application/json',
        'WWW-Authenticate': 'Basic realm="cmp-test"',
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'credentials required' }] }));
      return;
    }
    const access = url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean)
      .map((s) => {
        const parts = s.split(':');
        return { type: parts[0], name: parts.slice(1, -1).join(':'), actions: ['pull', 'push'] };
      });
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${b64({ typ: 'JWT', alg: 'RS256', x5c: [certDer] })}.${b64({
      iss: issuer,
      sub: user,
      aud: url.searchParams.get('service') ?? service,
      exp: now + 600,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access,
    })}`;
    const sig = createSign('RSA-SHA256').update(body).sign(key).toString('base64url');
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token: `${body}.${sig}`, expires_in: 600 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A DOCKER_CONFIG dir whose config.json holds credentials for one registry. */
export function writeDockerConfig(
  host: string,
  user: string,
  password: string,
): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-docker-config-'));
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
