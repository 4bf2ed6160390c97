// Configs and secrets as versioned Swarm objects. Swarm objects are immutable, so the name carries a
// hash of the content: a changed file makes a new object, the services move to it, and the old one
// is left for --prune or undeploy to remove.
import { readFileSync } from 'node:fs';
import type { ConfigOrSecret, Project } from '../../model/types.js';
import { ModelError } from '../../util/errors.js';
import { resourceName, shortHash, STACK_LABEL } from './names.js';
import type { FileObjectSpec, Labels } from './types.js';

export type ObjectKind = 'config' | 'secret';

function content(kind: ObjectKind, key: string, def: ConfigOrSecret, hostEnv: NodeJS.ProcessEnv): Buffer {
  if (def.content !== undefined) return Buffer.from(def.content);
  if (def.environment !== undefined) {
    const v = hostEnv[def.environment];
    if (v === undefined)
      throw new ModelError(`${kind}s.${key}: environment variable ${def.environment} is not set`);
    return Buffer.from(v);
  }
  if (def.file !== undefined) {
    try {
      return readFileSync(def.file);
    } catch (e) {
      throw new ModelError(`${kind}s.${key}: cannot read ${def.file}: ${(e as Error).message}`);
    }
  }
  throw new ModelError(`${kind}s.${key} has no file, content or environment`);
}

export interface ObjectSet {
  specs: FileObjectSpec[];
  external: { kind: ObjectKind; name: string }[];
  /** Compose key to the object name services refer to. */
  names: Record<string, string>;
}

export function fileObjects(
  kind: ObjectKind,
  project: Project,
  stack: string,
  hostEnv: NodeJS.ProcessEnv,
): ObjectSet {
  const defs = kind === 'config' ? project.configs : project.secrets;
  const used = new Set<string>();
  for (const s of Object.values(project.services)) {
    for (const ref of (kind === 'config' ? s.configs : s.secrets) ?? []) used.add(ref.source);
  }
  const out: ObjectSet = { specs: [], external: [], names: {} };
  for (const [key, def] of Object.entries(defs)) {
    // like docker stack deploy: only what a service uses becomes an object
    if (!used.has(key)) continue;
    const base = resourceName(stack, project.name, key, def);
    if (def.external) {
      out.external.push({ kind, name: base });
      out.names[key] = base;
      continue;
    }
    const data = content(kind, key, def, hostEnv);
    const name = `${base}-${shortHash(data)}`;
    const labels: Labels = { ...def.labels, [STACK_LABEL.namespace]: stack };
    out.specs.push({ kind, key, Name: name, Labels: labels, Data: data.toString('base64') });
    out.names[key] = name;
  }
  return out;
}
