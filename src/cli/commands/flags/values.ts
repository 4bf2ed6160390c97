// Parsers for flag values shared by several commands; every bad value is a one-line UsageError.
import { parseDurationMs } from '../../../model/duration.js';
import { UsageError } from '../../../util/errors.js';

/** `-t 10`, `--wait-timeout 30`: whole seconds, returned in ms. */
export function secondsFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text))
    throw new UsageError(`${flag} must be a whole number of seconds >= 0, got "${text}"`);
  return Number(text) * 1000;
}

/** `--index 2`, `-n 10`: a whole number from `min`. */
export function countFlag(value: unknown, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new UsageError(`${flag} must be a whole number >= ${min}, got "${text}"`);
  return Number(text);
}

/** `--tail N|all`: undefined means every line. */
export function tailFlag(value: unknown): number | undefined {
  if (value === undefined || value === 'all') return undefined;
  return countFlag(value, '--tail', 0);
}

/**
 * `--since` / `--until`: a duration back from now (`10m`, `1h30m`), an RFC 3339 time, or Unix seconds,
 * the forms docker accepts. Returns ms since the epoch.
 */
export function timeFlag(value: unknown, flag: string, now: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const t = Date.parse(text);
    if (!Number.isNaN(t)) return t;
  } else {
    const d = parseDurationMs(text);
    if (d !== undefined) return now - d;
  }
  throw new UsageError(`${flag}: cannot read "${text}" as a time`, {
    hint: 'use a duration like 10m or 1h30m, an RFC 3339 time like 2024-05-01T10:00:00Z, or Unix seconds',
  });
}

/** `--scale web=3` (repeatable) → { web: 3 }; the last one for a service wins, as in compose. */
export function scaleFlag(values: readonly string[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values ?? []) {
    const m = /^([^=]+)=(\d+)$/.exec(v.trim());
    if (!m) throw new UsageError(`--scale: expected SERVICE=NUM, got "${v}"`);
    out[m[1] as string] = Number(m[2]);
  }
  return out;
}

/** `-e K=V` (repeatable); a bare `K` takes cmp's own environment, like docker. */
export function envFlag(
  values: readonly string[] | undefined,
  env: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq === 0) throw new UsageError(`-e: expected KEY=VALUE, got "${v}"`);
    if (eq < 0) {
      const inherited = env[v];
      if (inherited !== undefined) out[v] = inherited;
    } else out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
}

/** A boolean setting from the environment, read as compose reads one: 1, true or yes. */
export function envTrue(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes)$/i.test(v);
}

/** `--remove-orphans`, or COMPOSE_REMOVE_ORPHANS set in the shell or the project's env files. */
export async function removeOrphansWanted(flag: boolean, envFiles: readonly string[]): Promise<boolean> {
  if (flag) return true;
  const { composeSetting } = await import('../../../loader/environment.js');
  return envTrue(composeSetting('COMPOSE_REMOVE_ORPHANS', envFiles, process.env));
}

/** `--format table|json` where a command has only those two. */
export function tableOrJson(value: unknown): 'table' | 'json' {
  const format = value ?? 'table';
  if (format !== 'table' && format !== 'json')
    throw new UsageError(`--format: expected table or json, got "${String(format)}"`);
  return format;
}
