// Image references as users write them, normalised the way docker does: `redis` means
// docker.io/library/redis:latest, and the first path part is a registry only if it looks like a host.
import { UsageError } from '../util/errors.js';

export interface ImageReference {
  /** Registry host as written, with port: `docker.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path inside the registry: `library/redis`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_PART_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export function parseReference(input: string): ImageReference {
  const raw = input.trim();
  if (raw === '') throw new UsageError('empty image reference');
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) throw new UsageError(`invalid digest in image reference "${raw}"`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw new UsageError(`invalid tag in image reference "${raw}"`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  if (
    parts.length > 1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || /[A-Z]/.test(first))
  ) {
    registry = first;
    parts.shift();
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  for (const p of parts) {
    if (!PATH_PART_RE.test(p)) throw new UsageError(`invalid repository name in image reference "${raw}"`);
  }
  if (!tag && !digest) tag = 'latest';
  return { registry, repository: parts.join('/'), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The canonical form stored as the image's name: `docker.io/library/redis:latest`, `host:5000/x@sha256:…`. */
export function formatReference(ref: ImageReference): string {
  let s = `${ref.registry}/${ref.repository}`;
  if (ref.tag) s += `:${ref.tag}`;
  if (ref.digest) s += `@${ref.digest}`;
  return s;
}

export function normalizeReference(input: string): string {
  return formatReference(parseReference(input));
}

/** The name docker would show: short for Docker Hub (`redis:latest`), full otherwise. */
export function familiarName(canonical: string): string {
  const prefix = `${DOCKER_HUB}/`;
  if (!canonical.startsWith(prefix)) return canonical;
  const rest = canonical.slice(prefix.length);
  return rest.startsWith('library/') ? rest.slice('library/'.length) : rest;
}

/** The host to contact: Docker Hub's API lives on another name than its image names. */
export function registryHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

/** Plain HTTP for loopback registries and those the user lists in CMP_INSECURE_REGISTRIES; HTTPS otherwise. */
export function registryScheme(registry: string, env: NodeJS.ProcessEnv = process.env): 'http' | 'https' {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || /^127\./.test(host)) return 'http';
  const insecure = (env.CMP_INSECURE_REGISTRIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return insecure.includes(registry) || insecure.includes(host) ? 'http' : 'https';
}
