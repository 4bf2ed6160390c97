// Which progress renderer to use: flag, then CMP_PROGRESS, then COMPOSE_PROGRESS, then auto.
import { UsageError } from '../util/errors.js';
import type { Env, OutStream } from './ansi.js';

export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'json', 'quiet'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];
export type ConcreteProgressMode = Exclude<ProgressMode, 'auto'>;

export function parseProgressMode(text: string, source = '--progress'): ProgressMode {
  const mode = PROGRESS_MODES.find((m) => m === text.trim().toLowerCase());
  if (!mode)
    throw new UsageError(`${source}: unknown progress mode "${text}"`, { hint: PROGRESS_MODES.join(', ') });
  return mode;
}

export function progressModeFrom(flag: string | undefined, env: Env): ProgressMode {
  if (flag !== undefined && flag !== '') return parseProgressMode(flag);
  for (const name of ['CMP_PROGRESS', 'COMPOSE_PROGRESS']) {
    const v = env[name];
    if (v !== undefined && v !== '') return parseProgressMode(v, name);
  }
  return 'auto';
}

/** auto = the live view on a terminal outside CI, plain lines otherwise. */
export function concreteMode(mode: ProgressMode, out: OutStream, env: Env): ConcreteProgressMode {
  if (mode !== 'auto') return mode;
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false';
  return out.isTTY === true && !ci ? 'tty' : 'plain';
}
