// The engine connection for deploys: the Docker driver's DOCKER_HOST handling, and a check that the engine
// is a Swarm manager before anything is sent.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { connectionOptions, describeConnection } from '../../runtime/docker/connection.js';
import { call } from '../../runtime/docker/errors.js';
import { RuntimeError } from '../../util/errors.js';

export function swarmClient(env: NodeJS.ProcessEnv = process.env): { docker: Dockerode; address: string } {
  const opts = connectionOptions(env);
  return { docker: new Dockerode(opts), address: describeConnection(opts) };
}

interface SwarmInfo {
  Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean };
}

export async function requireManager(docker: Dockerode, address: string): Promise<void> {
  const info = (await call('info', () => docker.info())) as SwarmInfo;
  if (info.Swarm?.LocalNodeState !== 'active')
    throw new RuntimeError(`the engine at ${address} is not part of a swarm`, {
      hint: 'run `docker swarm init` (or join one) first',
    });
  if (!info.Swarm.ControlAvailable)
    throw new RuntimeError(`the engine at ${address} is not a swarm manager`, {
      hint: 'point DOCKER_HOST at a manager node',
    });
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  serveraddress: string;
}

function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  const isHost = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : 'https://index.docker.io/v1/';
}

/**
 * --with-registry-auth: the credentials `docker login` stored for the image's registry, sent so every node
 * can pull. Credential helpers are not run; a registry without a stored `auth` gets none.
 */
export function registryAuth(image: string, env: NodeJS.ProcessEnv = process.env): RegistryAuth | undefined {
  const dir = env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  let config: { auths?: Record<string, { auth?: string }> };
  try {
    config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as typeof config;
  } catch {
    return undefined;
  }
  const registry = registryOf(image);
  const entry = Object.entries(config.auths ?? {}).find(
    ([k]) => k === registry || k.replace(/^https?:\/\//, '').split('/')[0] === registry,
  )?.[1];
  if (!entry?.auth) return undefined;
  const text = Buffer.from(entry.auth, 'base64').toString('utf8');
  const i = text.indexOf(':');
  return { username: text.slice(0, i), password: text.slice(i + 1), serveraddress: registry };
}
