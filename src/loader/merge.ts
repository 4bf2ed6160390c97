// Phase 8, merge: fold the files (and `extends` bases) together with the spec's rules: mappings merged
// key by key, later wins; most sequences appended without duplicates; `command`, `entrypoint` and
// `healthcheck.test` replaced; ports/volumes/secrets/configs merged on their unique key; list-or-map
// attributes merged in their map form; `!reset` removes and `!override` replaces.
import { copyKeyLoc, copyNodeLocs, keyLoc, setKeyLoc, setNodeLoc } from './positions.js';
import { portKey } from './normalize/ports.js';
import { Tagged, isMapping, type Mapping } from './tree.js';

type Path = readonly string[];

const REPLACE = new Set(['command', 'entrypoint', 'healthcheck.test']);
const AS_MAP = new Set([
  'environment',
  'labels',
  'annotations',
  'sysctls',
  'extra_hosts',
  'build.args',
  'build.labels',
  'build.extra_hosts',
  'deploy.labels',
  'logging.options',
  'storage_opt',
]);
const CONCAT = new Set(['dns', 'dns_search', 'dns_opt', 'env_file', 'tmpfs', 'label_file']);

/** Key of an item in a list merged on a unique key, or undefined to append. */
function uniqueKey(rel: string, item: unknown): string | undefined {
  if (rel === 'ports') return portKey(item);
  if (rel === 'volumes' || rel === 'devices') {
    if (typeof item === 'string') {
      const parts = item.split(':');
      const target = parts.length >= 2 ? parts[1] : parts[0];
      return (target ?? '').replace(/(.)\/+$/, '$1');
    }
    if (isMapping(item) && typeof item.target === 'string') return item.target.replace(/(.)\/+$/, '$1');
    return undefined;
  }
  if (rel === 'secrets' || rel === 'configs') {
    if (typeof item === 'string') return item;
    if (isMapping(item)) return String(item.target ?? item.source);
  }
  return undefined;
}

/** `KEY=VAL` list to map; the map form is what merges apply to. */
export function listToMap(v: unknown, sep = '='): unknown {
  if (!Array.isArray(v)) return v;
  const out: Mapping = {};
  copyNodeLocs(v, out);
  v.forEach((item, i) => {
    if (typeof item !== 'string') return;
    const at = item.indexOf(sep);
    const k = at < 0 ? item : item.slice(0, at);
    out[k] = at < 0 ? null : item.slice(at + 1);
    setKeyLoc(out, k, keyLoc(v, i));
  });
  return out;
}

function namesToMap(v: unknown, fill: () => unknown): unknown {
  if (!Array.isArray(v)) return v;
  const out: Mapping = {};
  copyNodeLocs(v, out);
  v.forEach((item, i) => {
    if (typeof item !== 'string') return;
    out[item] = fill();
    setKeyLoc(out, item, keyLoc(v, i));
  });
  return out;
}

function asList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  const out = [v];
  copyNodeLocs(typeof v === 'object' && v !== null ? v : {}, out);
  return out;
}

/** Removes markers left in a tree that was never merged over anything. */
export function stripTags(v: unknown): unknown {
  if (v instanceof Tagged) return v.tag === 'reset' ? undefined : stripTags(v.value);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = stripTags(v[i]);
    return v;
  }
  if (isMapping(v)) {
    for (const k of Object.keys(v)) {
      const s = stripTags(v[k]);
      if (s === undefined) delete v[k];
      else v[k] = s;
    }
  }
  return v;
}

/** Merges two whole files: the later one (`over`) wins. */
export function mergeFiles(base: Mapping, over: Mapping): Mapping {
  return mergeMap(base, over, [], 'top');
}

/** Merges an `extends` base service with the service that extends it. */
export function mergeServices(base: Mapping, over: Mapping): Mapping {
  return mergeMap(base, over, [], 'service');
}

type Scope = 'top' | 'service';

function serviceRel(path: Path, scope: Scope): string | undefined {
  if (scope === 'service') return path.join('.');
  if (path[0] === 'services' && path.length >= 2) return path.slice(2).join('.');
  return undefined;
}

function mergeMap(base: Mapping, over: Mapping, path: Path, scope: Scope): Mapping {
  const out: Mapping = {};
  copyNodeLocs(base, out);
  for (const [k, v] of Object.entries(base)) {
    out[k] = v;
    copyKeyLoc(base, k, out, k);
  }
  for (const [k, ov] of Object.entries(over)) {
    if (ov instanceof Tagged) {
      if (ov.tag === 'reset') delete out[k];
      else {
        out[k] = stripTags(ov.value);
        copyKeyLoc(over, k, out, k);
      }
      continue;
    }
    out[k] = k in out ? mergeAt(out[k], ov, [...path, k], scope) : stripTags(ov);
    copyKeyLoc(over, k, out, k);
  }
  return out;
}

function mergeAt(b: unknown, o: unknown, path: Path, scope: Scope): unknown {
  const rel = serviceRel(path, scope);
  if (rel !== undefined && rel !== '') {
    if (REPLACE.has(rel)) return stripTags(o);
    if (AS_MAP.has(rel)) {
      const sep = rel.endsWith('extra_hosts') ? ':' : '=';
      b = listToMap(b, sep);
      o = listToMap(o, sep);
    } else if (rel === 'depends_on') {
      b = namesToMap(b, () => ({ condition: 'service_started' }));
      o = namesToMap(o, () => ({ condition: 'service_started' }));
    } else if (rel === 'networks') {
      b = namesToMap(b, () => null);
      o = namesToMap(o, () => null);
    } else if (CONCAT.has(rel)) {
      return concat(asList(b), asList(o), () => undefined);
    } else if (Array.isArray(b) && Array.isArray(o)) {
      const probe = (item: unknown): string | undefined => uniqueKey(rel, item);
      if (['ports', 'volumes', 'devices', 'secrets', 'configs'].includes(rel)) return byKey(b, o, probe);
      return concat(b, o, (item) =>
        typeof item === 'object' && item !== null ? undefined : `v:${String(item)}`,
      );
    }
  }
  if (isMapping(b) && isMapping(o)) return mergeMap(b, o, path, scope);
  if (Array.isArray(b) && Array.isArray(o)) {
    return concat(b, o, (item) =>
      typeof item === 'object' && item !== null ? undefined : `v:${String(item)}`,
    );
  }
  return stripTags(o);
}

function concat(b: unknown[], o: unknown[], key: (item: unknown) => string | undefined): unknown[] {
  const out: unknown[] = [];
  setNodeLoc(out, keyLoc(o, -1));
  copyNodeLocs(b, out);
  const seen = new Set<string>();
  const push = (src: unknown[], i: number): void => {
    const item = stripTags(src[i]);
    if (item === undefined) return;
    const k = key(item);
    if (k !== undefined) {
      if (seen.has(k)) return;
      seen.add(k);
    }
    setKeyLoc(out, out.length, keyLoc(src, i));
    out.push(item);
  };
  b.forEach((_, i) => push(b, i));
  o.forEach((_, i) => push(o, i));
  return out;
}

/** Items of `o` replace items of `b` with the same key, in place; new ones are appended. */
function byKey(b: unknown[], o: unknown[], key: (item: unknown) => string | undefined): unknown[] {
  const out: unknown[] = [];
  copyNodeLocs(b, out);
  const index = new Map<string, number>();
  const put = (src: unknown[], i: number): void => {
    const item = stripTags(src[i]);
    if (item === undefined) return;
    const k = key(item);
    const at = k === undefined ? undefined : index.get(k);
    if (at !== undefined) {
      out[at] = item;
      setKeyLoc(out, at, keyLoc(src, i));
      return;
    }
    if (k !== undefined) index.set(k, out.length);
    setKeyLoc(out, out.length, keyLoc(src, i));
    out.push(item);
  };
  b.forEach((_, i) => put(b, i));
  o.forEach((_, i) => put(o, i));
  return out;
}
