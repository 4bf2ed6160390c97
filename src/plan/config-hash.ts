// Config hashes decide recreation: a container whose recorded hash differs from the model's is rebuilt.
// The excluded keys are the ones that change how many containers run or how they are built, not what
// a container is, so editing them must not recreate anything (same rule as docker compose).
import { createHash } from 'node:crypto';
import type { Network, Project, Service, Volume } from '../model/types.js';

/** JSON with object keys sorted at every depth and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

function withoutExtensions(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('x-')));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const SERVICE_EXCLUDED = new Set(['build', 'pull_policy', 'scale', 'depends_on', 'profiles']);

/**
 * A mount names a project volume by its key; the volume's real name (`name: ${V}`, an external volume's
 * name) is hashed with it when it is not one of the two defaults, so mounting another volume under the
 * same key recreates the container, and containers whose volumes keep their default names keep their hash.
 */
function withVolumeNames(service: Service, project: Pick<Project, 'name' | 'volumes'>): Service['volumes'] {
  return service.volumes.map((v) => {
    const name = v.type === 'volume' && v.source ? project.volumes[v.source]?.name : undefined;
    if (!v.source || !name || name === v.source || name === `${project.name}_${v.source}`) return v;
    return { ...v, source: `${v.source}=${name}` };
  });
}

export function serviceConfigHash(service: Service, project?: Pick<Project, 'name' | 'volumes'>): string {
  const copy = withoutExtensions(service);
  if (project) copy.volumes = withVolumeNames(service, project);
  for (const key of SERVICE_EXCLUDED) delete copy[key];
  if (service.deploy) {
    const deploy = withoutExtensions({ ...service.deploy });
    delete deploy.replicas;
    copy.deploy = Object.keys(deploy).length > 0 ? deploy : undefined;
  }
  return sha256(canonicalJson(copy));
}

export function networkConfigHash(network: Network): string {
  return sha256(canonicalJson(withoutExtensions(network)));
}

export function volumeConfigHash(volume: Volume): string {
  // docker compose hashes the driver as `local` when unset; do the same so an explicit `driver: local` is no change.
  return sha256(canonicalJson(withoutExtensions({ ...volume, driver: volume.driver ?? 'local' })));
}
