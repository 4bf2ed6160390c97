// Shared by `cmp image|network|volume`: docker's `--filter key=value` and label rendering, and the
// docker JSON shapes' label strings (`a=1,b=2`).
import { UsageError } from '../../util/errors.js';

export type Filters = Map<string, string[]>;

/** `--filter k=v` (repeatable) into key -> values; keys outside `allowed` are refused like docker does. */
export function parseFilters(raw: unknown, allowed: readonly string[], what: string): Filters {
  const out: Filters = new Map();
  const list = Array.isArray(raw) ? (raw as unknown[]).map(String) : typeof raw === 'string' ? [raw] : [];
  for (const f of list) {
    const eq = f.indexOf('=');
    const key = (eq < 0 ? f : f.slice(0, eq)).trim();
    const value = eq < 0 ? '' : f.slice(eq + 1);
    if (!allowed.includes(key)) {
      throw new UsageError(`invalid filter "${key}" for ${what}`, {
        hint: `use one of: ${allowed.join(', ')}`,
        exitCode: 2,
      });
    }
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

/** `label=k` matches when the label is set, `label=k=v` when it has that value; every one must match. */
export function labelsMatch(labels: Record<string, string>, wanted: readonly string[] | undefined): boolean {
  for (const w of wanted ?? []) {
    const eq = w.indexOf('=');
    if (eq < 0 ? !(w in labels) : labels[w.slice(0, eq)] !== w.slice(eq + 1)) return false;
  }
  return true;
}

/** `dangling=true|false`; undefined when not asked. */
export function danglingFilter(filters: Filters): boolean | undefined {
  const v = filters.get('dangling')?.at(-1);
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new UsageError(`invalid filter "dangling=${v}"`, {
    hint: 'use dangling=true or dangling=false',
    exitCode: 2,
  });
}

export function labelString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Like docker's `--format json` timestamps in ls output: `2024-05-01 10:00:00 +0000 UTC`. */
export function dockerTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

/** `-q`, `--format json`, or a table. */
export function write(text: string): void {
  process.stdout.write(text);
}
