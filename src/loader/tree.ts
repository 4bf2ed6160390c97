// The compose tree between parsing and the canonical model: plain JSON-like values, plus two markers
// for the `!reset` / `!override` tags that only mean something while files are merged.
import { copyNodeLocs } from './positions.js';

export type Mapping = Record<string, unknown>;

export function isMapping(v: unknown): v is Mapping {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tagged);
}

/** A value written with `!reset` or `!override`; removed by the merge phase. */
export class Tagged {
  constructor(
    readonly tag: 'reset' | 'override',
    readonly value: unknown,
  ) {}
}

/** Path segments from the root of a file's tree. */
export type TreePath = (string | number)[];

export function pathText(path: readonly (string | number)[]): string {
  return path.map(String).join('.');
}

/** Deep copy that keeps source positions, so two services never share a node. */
export function cloneTree<T>(v: T): T {
  if (v instanceof Tagged) return new Tagged(v.tag, cloneTree(v.value)) as T;
  if (Array.isArray(v)) {
    const out = v.map((x) => cloneTree(x as unknown));
    copyNodeLocs(v, out);
    return out as T;
  }
  if (isMapping(v)) {
    const out: Mapping = {};
    for (const [k, x] of Object.entries(v)) out[k] = cloneTree(x);
    copyNodeLocs(v, out);
    return out as T;
  }
  return v;
}
