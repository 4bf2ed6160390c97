// Registry credentials and challenges. Credentials come from the docker CLI's config file
// ($DOCKER_CONFIG/config.json or ~/.docker/config.json, `auths.<host>.auth` = base64 "user:pass");
// credential helpers (credsStore) are not run.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_HUB } from '../../image-reference.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface Challenge {
  scheme: 'bearer' | 'basic';
  params: Record<string, string>;
}

interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
}

function configPath(env: NodeJS.ProcessEnv): string {
  const dir = env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker');
  return join(dir, 'config.json');
}

/** Keys under `auths` that may name this registry (docker writes Hub as its v1 index URL). */
function candidateKeys(registry: string): string[] {
  const keys = [
    registry,
    `https://${registry}`,
    `http://${registry}`,
    `https://${registry}/v1/`,
    `https://${registry}/v2/`,
  ];
  if (registry === DOCKER_HUB) {
    keys.push(
      'https://index.docker.io/v1/',
      'index.docker.io',
      'registry-1.docker.io',
      'https://registry-1.docker.io',
    );
  }
  return keys;
}

export function credentialsFor(
  registry: string,
  env: NodeJS.ProcessEnv = process.env,
): Credentials | undefined {
  let parsed: DockerConfigFile;
  try {
    parsed = JSON.parse(readFileSync(configPath(env), 'utf8')) as DockerConfigFile;
  } catch {
    return undefined;
  }
  const auths = parsed.auths ?? {};
  for (const key of candidateKeys(registry)) {
    const entry = auths[key];
    if (!entry) continue;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
    if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  }
  return undefined;
}

/** Parses `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (RFC 7235 auth-params). */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m?.[1]) return undefined;
  const scheme = m[1].toLowerCase();
  if (scheme !== 'bearer' && scheme !== 'basic') return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (let p = re.exec(m[2] ?? ''); p; p = re.exec(m[2] ?? '')) {
    const key = p[1];
    if (key) params[key.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme, params };
}

export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
