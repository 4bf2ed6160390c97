// Small readers shared by the normalisers: each either returns the canonical value or throws a
// located SchemaError, so a wrong type never escapes as a crash.
import type { SourceLocation } from '../../model/types.js';
import { parseDurationMs, formatDuration } from '../../model/duration.js';
import { SchemaError } from '../../util/errors.js';
import { keyLoc } from '../positions.js';
import { isMapping, type Mapping } from '../tree.js';
import { parseBytes } from './sizes.js';

export function fail(message: string, container: unknown, key: string | number): never {
  const location: SourceLocation | undefined = keyLoc(container, key);
  throw new SchemaError(message, { location });
}

export function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function str(o: Mapping, key: string, label: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const s = scalarText(v);
  if (s === undefined) fail(`${label} must be a string`, o, key);
  return s;
}

export function strList(o: Mapping, key: string, label: string, single = true): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (single && (typeof v === 'string' || typeof v === 'number')) return [String(v)];
  if (!Array.isArray(v)) fail(`${label} must be a list`, o, key);
  return v.map((x, i) => scalarText(x) ?? fail(`${label}[${i}] must be a string`, v, i));
}

export function int(o: Mapping, key: string, label: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) fail(`${label} must be an integer`, o, key);
  return n;
}

export function num(o: Mapping, key: string, label: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(`${label} must be a number`, o, key);
  return n;
}

export function bool(o: Mapping, key: string, label: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fail(`${label} must be a boolean`, o, key);
}

export function duration(o: Mapping, key: string, label: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? parseDurationMs(v) : undefined;
  if (ms === undefined || ms < 0) fail(`${label} must be a duration like "1m30s"`, o, key);
  return formatDuration(ms);
}

export function bytes(o: Mapping, key: string, label: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const b = parseBytes(v);
  if (b === undefined) fail(`${label} must be a size like "512m"`, o, key);
  return b;
}

export function mapping(o: Mapping, key: string, label: string): Mapping | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isMapping(v)) fail(`${label} must be a mapping`, o, key);
  return v;
}

/** `KEY=VAL` list or map to a map; `nullable` keeps `KEY` / `KEY: null` as null. */
export function keyValues(
  o: Mapping,
  key: string,
  label: string,
  nullable: boolean,
  sep = '=',
): Record<string, string | null> | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      const s = scalarText(item);
      if (s === undefined) fail(`${label}[${i}] must be a string`, v, i);
      const at = s.indexOf(sep);
      if (at < 0) out[s] = nullable ? null : '';
      else out[s.slice(0, at)] = s.slice(at + 1);
    });
    return out;
  }
  if (!isMapping(v)) fail(`${label} must be a mapping or a list`, o, key);
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) out[k] = nullable ? null : '';
    else {
      const s = scalarText(x);
      if (s === undefined) fail(`${label}.${k} must be a string, number, boolean or null`, v, k);
      out[k] = s;
    }
  }
  return out;
}
