// Where cmp keeps things on the host. Tests point these at temporary folders through the environment.
import { join } from 'node:path';

export const DEFAULT_STATE_ROOT = '/var/lib/cmp';

/** Persistent state: images, volumes, per-project desired state and IPAM. */
export function stateRoot(): string {
  return process.env.CMP_STATE_ROOT ?? DEFAULT_STATE_ROOT;
}

/** Volatile state: sockets, locks, bundles, pid files. */
export function runRoot(): string {
  return process.env.CMP_RUN_ROOT ?? '/run/cmp';
}

export function projectStateDir(project: string): string {
  return join(stateRoot(), 'projects', project);
}

export function projectRunDir(project: string): string {
  return join(runRoot(), project);
}
