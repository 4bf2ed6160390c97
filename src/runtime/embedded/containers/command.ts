// How the process's argv and environment are derived from the image config and the service, following
// Docker's rules: a service entrypoint replaces the image's and also drops the image's cmd.
import type { ImageConfig } from '../../types.js';
import { DEFAULT_PATH } from './defaults.js';

export interface CommandInput {
  image: ImageConfig;
  serviceEntrypoint?: string[] | null;
  serviceCommand?: string[] | null;
}

export function mergeCommand(i: CommandInput): string[] {
  const entrypointSet = i.serviceEntrypoint !== undefined && i.serviceEntrypoint !== null;
  const entrypoint = entrypointSet ? (i.serviceEntrypoint ?? []) : (i.image.entrypoint ?? []);
  let cmd: string[];
  if (i.serviceCommand !== undefined && i.serviceCommand !== null) cmd = i.serviceCommand;
  else if (entrypointSet) cmd = [];
  else cmd = i.image.cmd ?? [];
  return [...entrypoint, ...cmd];
}

/** Image env first, then the service's (null: left out), then extras; PATH defaulted; HOME from the user. */
export function mergeEnv(
  imageEnv: readonly string[] | undefined,
  serviceEnv: Record<string, string | null>,
  extra: Record<string, string>,
  defaults: { hostname: string; home: string; tty: boolean },
): string[] {
  const env = new Map<string, string>();
  env.set('HOSTNAME', defaults.hostname);
  for (const kv of imageEnv ?? []) {
    const eq = kv.indexOf('=');
    if (eq > 0) env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  for (const [k, v] of Object.entries(serviceEnv)) if (v !== null) env.set(k, v);
  for (const [k, v] of Object.entries(extra)) env.set(k, v);
  if (!env.has('PATH')) env.set('PATH', DEFAULT_PATH.slice('PATH='.length));
  if (!env.has('HOME')) env.set('HOME', defaults.home);
  if (defaults.tty && !env.has('TERM')) env.set('TERM', 'xterm');
  return [...env].map(([k, v]) => `${k}=${v}`);
}
