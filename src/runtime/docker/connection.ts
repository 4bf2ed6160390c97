// Where the engine is: DOCKER_HOST as the docker CLI reads it (unix, tcp, ssh), so Podman's Docker-compatible
// socket is just another unix:// address. Kept apart from the driver so the parsing is testable without a daemon.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { UsageError } from '../../util/errors.js';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Dockerode options for a DOCKER_HOST value (undefined or empty: the default unix socket). */
export function connectionOptions(env: NodeJS.ProcessEnv = process.env): Dockerode.DockerOptions {
  const host = env.DOCKER_HOST?.trim();
  if (!host) return { socketPath: DEFAULT_SOCKET };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) || DEFAULT_SOCKET };
  if (host.startsWith('/')) return { socketPath: host };
  let url: URL;
  try {
    url = new URL(host.includes('://') ? host : `tcp://${host}`);
  } catch (e) {
    throw new UsageError(`DOCKER_HOST "${host}" is not an address`, {
      hint: 'use unix:///path/to/socket, tcp://host:port or ssh://user@host',
      cause: e,
    });
  }
  if (url.protocol === 'ssh:') {
    // The engine's socket on the far side is reached through the ssh connection; dockerode dials it with ssh2.
    const opts: Dockerode.DockerOptions = { protocol: 'ssh', host: url.hostname, port: url.port || 22 };
    if (url.username) opts.username = decodeURIComponent(url.username);
    if (env.SSH_AUTH_SOCK) opts.sshOptions = { agent: env.SSH_AUTH_SOCK };
    return opts;
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`DOCKER_HOST scheme "${url.protocol}" is not supported`, {
      hint: 'use unix://, tcp:// or ssh://',
    });
  }
  const tls = env.DOCKER_TLS_VERIFY === '1' || url.protocol === 'https:' || url.port === '2376';
  const opts: Dockerode.DockerOptions = {
    protocol: tls ? 'https' : 'http',
    host: url.hostname,
    port: url.port || (tls ? 2376 : 2375),
  };
  if (tls && env.DOCKER_CERT_PATH) {
    opts.ca = readFileSync(join(env.DOCKER_CERT_PATH, 'ca.pem'));
    opts.cert = readFileSync(join(env.DOCKER_CERT_PATH, 'cert.pem'));
    opts.key = readFileSync(join(env.DOCKER_CERT_PATH, 'key.pem'));
  }
  return opts;
}

/** A short description of the address for error messages. */
export function describeConnection(opts: Dockerode.DockerOptions): string {
  if (opts.socketPath) return `unix://${String(opts.socketPath)}`;
  return `${opts.protocol ?? 'http'}://${opts.host ?? ''}:${String(opts.port ?? '')}`;
}
