// Source positions live beside the tree rather than in it, so every phase keeps working on plain
// values. Each container (object or array) maps its keys to where they were written; copying a key
// during a merge copies its position, so a path always points at the file that last set the value.
import type { SourceLocation } from '../model/types.js';

interface NodePositions {
  self?: SourceLocation;
  keys: Map<string | number, SourceLocation>;
}

const table = new WeakMap<object, NodePositions>();

function entry(node: object): NodePositions {
  let e = table.get(node);
  if (!e) {
    e = { keys: new Map() };
    table.set(node, e);
  }
  return e;
}

export function setNodeLoc(node: object, loc: SourceLocation | undefined): void {
  if (loc) entry(node).self = loc;
}

export function nodeLoc(node: unknown): SourceLocation | undefined {
  return typeof node === 'object' && node !== null ? table.get(node)?.self : undefined;
}

export function setKeyLoc(node: object, key: string | number, loc: SourceLocation | undefined): void {
  if (loc) entry(node).keys.set(key, loc);
}

/** Where `node[key]` was written, falling back to the node itself. */
export function keyLoc(node: unknown, key: string | number): SourceLocation | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const e = table.get(node);
  return e?.keys.get(key) ?? e?.self;
}

export function copyKeyLoc(from: object, fromKey: string | number, to: object, toKey: string | number): void {
  setKeyLoc(to, toKey, table.get(from)?.keys.get(fromKey));
}

/** Copies a node's own and per-key positions onto another node (used when a node is rebuilt). */
export function copyNodeLocs(from: object, to: object): void {
  const src = table.get(from);
  if (!src) return;
  const dst = entry(to);
  if (src.self && !dst.self) dst.self = src.self;
  for (const [k, v] of src.keys) if (!dst.keys.has(k)) dst.keys.set(k, v);
}

/** The deepest known position along a path. */
export function locate(root: unknown, path: readonly (string | number)[]): SourceLocation | undefined {
  let node: unknown = root;
  let best = nodeLoc(root);
  for (const seg of path) {
    if (typeof node !== 'object' || node === null) break;
    best = keyLoc(node, seg) ?? best;
    node = (node as Record<string | number, unknown>)[seg];
  }
  const own = nodeLoc(node);
  return own && path.length > 0 && typeof node === 'object' ? (best ?? own) : best;
}

/** Whether the plain tree has a value at `path`. */
export function hasPath(tree: unknown, path: readonly (string | number)[]): boolean {
  let node = tree;
  for (const seg of path) {
    if (typeof node !== 'object' || node === null || !(seg in node)) return false;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return true;
}
