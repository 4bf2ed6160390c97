// The effective healthcheck of a container: the service's settings over the image's HEALTHCHECK,
// field by field, with the engine's defaults for what neither sets.
import { parseDurationMs } from '../model/duration.js';
import type { Healthcheck } from '../model/types.js';
import type { ImageConfig } from '../runtime/types.js';
import { ModelError } from '../util/errors.js';

export const HEALTH_DEFAULTS = {
  intervalMs: 30_000,
  timeoutMs: 30_000,
  retries: 3,
  startPeriodMs: 0,
  startIntervalMs: 5_000,
} as const;

export type HealthProbe = { kind: 'exec'; argv: string[] } | { kind: 'shell'; command: string };

export interface HealthcheckConfig {
  probe: HealthProbe;
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
  startIntervalMs: number;
}

type ImageHealthcheck = NonNullable<ImageConfig['healthcheck']>;

/** undefined = the container has no healthcheck (none anywhere, `disable: true` or `test: ["NONE"]`). */
export function resolveHealthcheck(
  service: Healthcheck | undefined,
  image: ImageHealthcheck | undefined,
): HealthcheckConfig | undefined {
  if (service?.disable) return undefined;
  const test = nonEmpty(service?.test) ?? nonEmpty(image?.test);
  if (!test) return undefined;
  const probe = parseTest(test);
  if (!probe) return undefined;
  // Zero means "unset" here as in the engine: it falls back to the image, then to the default.
  const pick = (own: string | undefined, key: keyof ImageHealthcheck, fallback: number): number =>
    positive(own === undefined ? undefined : duration(own)) ?? positive(numberOf(image, key)) ?? fallback;
  return {
    probe,
    intervalMs: pick(service?.interval, 'interval', HEALTH_DEFAULTS.intervalMs),
    timeoutMs: pick(service?.timeout, 'timeout', HEALTH_DEFAULTS.timeoutMs),
    retries: positive(service?.retries) ?? positive(image?.retries) ?? HEALTH_DEFAULTS.retries,
    startPeriodMs: pick(service?.start_period, 'startPeriod', HEALTH_DEFAULTS.startPeriodMs),
    startIntervalMs: pick(service?.start_interval, 'startInterval', HEALTH_DEFAULTS.startIntervalMs),
  };
}

function parseTest(test: string[]): HealthProbe | undefined {
  const [kind, ...args] = test;
  switch (kind) {
    case 'NONE':
      return undefined;
    case 'CMD':
      if (args.length === 0) throw new ModelError('healthcheck.test ["CMD"] needs a command');
      return { kind: 'exec', argv: args };
    case 'CMD-SHELL':
      if (args.length === 0) throw new ModelError('healthcheck.test ["CMD-SHELL"] needs a command');
      return { kind: 'shell', command: args.join(' ') };
    default:
      throw new ModelError(`healthcheck.test must start with "CMD", "CMD-SHELL" or "NONE", got "${kind}"`);
  }
}

function nonEmpty(test: string[] | undefined): string[] | undefined {
  return test && test.length > 0 ? test : undefined;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

function numberOf(image: ImageHealthcheck | undefined, key: keyof ImageHealthcheck): number | undefined {
  const v = image?.[key];
  return typeof v === 'number' ? v : undefined;
}

function duration(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms < 0) throw new ModelError(`healthcheck: "${text}" is not a duration`);
  return ms;
}
