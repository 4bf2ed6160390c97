// Names and labels as `docker stack deploy` writes them, so `docker stack ls|ps|services` see a cmp stack.
import { createHash } from 'node:crypto';

export const STACK_LABEL = {
  namespace: 'com.docker.stack.namespace',
  image: 'com.docker.stack.image',
  /** cmp's own: the hash of the spec it sent, so a redeploy can tell an unchanged service. */
  specHash: 'io.cmp.swarm.spec-hash',
} as const;

/** `<stack>_<name>`: services, and networks, volumes, configs and secrets without an explicit name. */
export function scoped(stack: string, name: string): string {
  return `${stack}_${name}`;
}

/**
 * The name a project resource gets in the stack: the loader names it `<project>_<key>` unless the file
 * says `name:`; a default name follows the stack name instead, an explicit or external one is kept.
 */
export function resourceName(
  stack: string,
  project: string,
  key: string,
  res: { name: string; external?: boolean },
): string {
  if (res.external) return res.name;
  return res.name === `${project}_${key}` ? scoped(stack, key) : res.name;
}

/** Stack names end up in object names and DNS: the same alphabet as project names. */
export function validStackName(name: string): boolean {
  return /^[a-z0-9][a-z0-9_-]*$/.test(name);
}

export function shortHash(data: string | Buffer, length = 10): string {
  return createHash('sha256').update(data).digest('hex').slice(0, length);
}

/** JSON with object keys sorted, so equal specs hash equal whatever order they were built in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}
