// Turns a service's `restart` / `deploy.restart_policy` into one normalised policy the deciders read.
import { parseDurationMs } from '../model/duration.js';
import type { Service } from '../model/types.js';
import { ModelError } from '../util/errors.js';
import { BACKOFF_BASE_MS } from './backoff.js';

export type RestartMode = 'no' | 'always' | 'on-failure' | 'unless-stopped';

export interface RestartPolicy {
  mode: RestartMode;
  /** Restarts allowed before giving up (`on-failure:N`, `max_attempts`); 0 = no limit. */
  maxAttempts: number;
  /** First back-off delay; each quick failure doubles it. */
  baseDelayMs: number;
  /** `deploy.restart_policy.window`: a run at least this long means the restarts so far succeeded; 0 = every restart counts. */
  windowMs: number;
}

export const NO_RESTART: RestartPolicy = {
  mode: 'no',
  maxAttempts: 0,
  baseDelayMs: BACKOFF_BASE_MS,
  windowMs: 0,
};

const DEPLOY_CONDITION: Record<string, RestartMode> = {
  none: 'no',
  'on-failure': 'on-failure',
  any: 'always',
};

/** `deploy.restart_policy` wins over `restart` when present, as in docker compose. */
export function resolveRestartPolicy(service: Pick<Service, 'restart' | 'deploy'>): RestartPolicy {
  const deploy = service.deploy?.restart_policy;
  if (deploy) {
    const mode = DEPLOY_CONDITION[deploy.condition ?? 'any'];
    if (!mode) {
      throw new ModelError(`unknown deploy.restart_policy.condition "${String(deploy.condition)}"`, {
        hint: 'use none, on-failure or any',
      });
    }
    const max = deploy.max_attempts ?? 0;
    if (!Number.isInteger(max) || max < 0) {
      throw new ModelError(`deploy.restart_policy.max_attempts must be a whole number >= 0, got ${max}`);
    }
    const delay = deploy.delay === undefined ? 0 : durationField('delay', deploy.delay);
    return {
      mode,
      maxAttempts: max,
      // A zero delay would make the doubling useless and spin a crashing container, so it keeps the default base.
      baseDelayMs: delay > 0 ? delay : BACKOFF_BASE_MS,
      windowMs: deploy.window === undefined ? 0 : durationField('window', deploy.window),
    };
  }
  return parseRestart(service.restart);
}

function parseRestart(text: string | undefined): RestartPolicy {
  if (text === undefined || text.trim() === '') return NO_RESTART;
  const [name = '', count, ...rest] = text.trim().split(':');
  if (rest.length > 0) throw badRestart(text);
  if (count !== undefined) {
    if (name !== 'on-failure') {
      throw new ModelError(`restart "${text}": a retry count is only allowed with on-failure`);
    }
    if (!/^\d+$/.test(count)) throw badRestart(text);
    return { ...NO_RESTART, mode: 'on-failure', maxAttempts: Number(count) };
  }
  switch (name) {
    case 'no':
    case 'always':
    case 'on-failure':
    case 'unless-stopped':
      return { ...NO_RESTART, mode: name };
    default:
      throw badRestart(text);
  }
}

function badRestart(text: string): ModelError {
  return new ModelError(`unknown restart policy "${text}"`, {
    hint: 'use "no", always, on-failure[:N] or unless-stopped',
  });
}

function durationField(key: string, value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined || ms < 0) {
    throw new ModelError(`deploy.restart_policy.${key}: "${value}" is not a duration`, {
      hint: 'e.g. 5s, 1m30s',
    });
  }
  return ms;
}
