// Phase 3, parse: YAML text to a plain tree with positions. Walks the yaml package's node tree
// itself (rather than toJS) so every key keeps its line and column, aliases and `<<` merge keys are
// expanded in place, keys become strings, and the `!reset` / `!override` tags survive as markers.
import {
  parseAllDocuments,
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isNode,
  isPair,
  isSeq,
  type Alias,
  type Document,
  type Node as YamlNode,
  type Pair,
} from 'yaml';
import type { SourceLocation } from '../model/types.js';
import { LoadError } from '../util/errors.js';
import { copyKeyLoc, setKeyLoc, setNodeLoc } from './positions.js';
import { Tagged, isMapping, type Mapping } from './tree.js';

/**
 * `mode: 0440` means octal in every compose file and in compose itself (its YAML parser keeps YAML 1.1's
 * leading-zero octal), while YAML 1.2 would read decimal 440. Only the integer rule changes: 1.1's
 * yes/no booleans stay strings, as in compose.
 */
const LEGACY_OCTAL = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^0[0-7]+$/,
  resolve: (text: string): number => parseInt(text, 8),
  identify: (value: unknown): boolean => typeof value === 'number',
};

/** compose-go stops at this many node visits, so alias bombs fail fast instead of eating memory. */
const MAX_NODE_VISITS = 100_000;
/** Aliases per document: a few per service is usual; tens of thousands only serve to cost time. */
export const MAX_ALIASES = 10_000;
/** Nesting depth of mappings and lists (a compose file needs fewer than 10); keeps recursion off the stack limit. */
export const MAX_DEPTH = 100;

export interface ParsedFile {
  /** Absolute path, or "-" for stdin. */
  file: string;
  /** Shown in messages. */
  display: string;
  tree: Mapping;
}

export function parseYaml(text: string, file: string, display: string): ParsedFile {
  const lc = new LineCounter();
  const at = (offset: number): SourceLocation => {
    const p = lc.linePos(offset);
    return { file: display, line: p.line, col: p.col };
  };
  const deep = flowTooDeep(text);
  if (deep >= 0) {
    // The line counter fills only while parsing; count lines up to the offset here.
    const lineStart = text.lastIndexOf('\n', deep - 1) + 1;
    const line = text.slice(0, lineStart).split('\n').length;
    throw new LoadError(TOO_DEEP, { location: { file: display, line, col: deep - lineStart + 1 } });
  }
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter: lc,
      merge: false,
      uniqueKeys: false,
      prettyErrors: false,
      customTags: (tags) => [LEGACY_OCTAL, ...tags],
    }) as Document.Parsed[] | never;
  } catch (e) {
    throw new LoadError(`cannot parse YAML: ${(e as Error).message}`, {
      location: { file: display, line: 0, col: 0 },
    });
  }
  if (!Array.isArray(docs)) docs = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const msg =
        err.code === 'DUPLICATE_KEY'
          ? duplicateKeyMessage(text, err.pos[0])
          : err.code === 'RESOURCE_EXHAUSTION'
            ? TOO_DEEP
            : yamlMessage(err.message);
      throw new LoadError(msg, { location: at(err.pos[0]) });
    }
  }
  // Like compose, several documents in one file are merged in order.
  let tree: Mapping = {};
  const trees: Mapping[] = [];
  for (const doc of docs) {
    const conv = new Converter(doc, at);
    const root = doc.contents ? conv.node(doc.contents as YamlNode) : null;
    if (root === null || root === undefined) continue;
    if (!isMapping(root)) {
      throw new LoadError('top-level object must be a mapping', {
        location: conv.loc(doc.contents as YamlNode),
      });
    }
    trees.push(root);
  }
  if (trees.length === 1) tree = trees[0] as Mapping;
  else if (trees.length > 1) {
    tree = trees[0] as Mapping;
    for (const t of trees.slice(1)) Object.assign(tree, t);
  }
  setNodeLoc(tree, { file: display, line: 0, col: 0 });
  return { file, display, tree };
}

const TOO_DEEP = `mappings and lists nested more than ${MAX_DEPTH} deep`;
/** Far past MAX_DEPTH; the yaml package's own recursion gives out near here. */
const RAW_FLOW_DEPTH = 1000;

/**
 * A quick look before the yaml package sees the text: at a few hundred thousand levels of `[[[...`
 * or `- - - ...` its parser takes seconds and can take the process down. Brackets opened and not yet
 * closed are counted, ignoring quoting, and so are the spaces and dashes that start a line. Returns
 * the offset where either passes its bound, else -1.
 */
function flowTooDeep(text: string): number {
  let depth = 0;
  let lineStart = true;
  let prefix = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      lineStart = true;
      prefix = 0;
      continue;
    }
    if (lineStart) {
      if (c === 0x20 || c === 0x2d) {
        if (++prefix > 2 * RAW_FLOW_DEPTH) return i;
        continue;
      }
      lineStart = false;
    }
    if (c === 0x5b || c === 0x7b) {
      if (++depth > RAW_FLOW_DEPTH) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return -1;
}

function duplicateKeyMessage(text: string, offset: number): string {
  const key = /^["']?([^"':\n]*)/.exec(text.slice(offset))?.[1]?.trim();
  return key ? `mapping key "${key}" already defined` : 'mapping key already defined';
}

function yamlMessage(m: string): string {
  // The yaml package appends a code frame after a newline; keep one line.
  return (m.split('\n')[0] ?? m).replace(/ at line \d+, column \d+:?$/, '');
}

class Converter {
  private visits = 0;
  private depth = 0;
  private readonly resolving = new Set<YamlNode>();
  private readonly targets: Map<Alias, YamlNode>;

  constructor(
    doc: Document.Parsed,
    private readonly at: (offset: number) => SourceLocation,
  ) {
    this.targets = this.aliasTargets(doc);
  }

  /**
   * Each alias's anchored node, found in one pass in document order (an alias names the last anchor
   * before it). The yaml package's Alias.resolve walks the whole document per alias, which made
   * files that share an anchor across many services quadratic.
   */
  private aliasTargets(doc: Document.Parsed): Map<Alias, YamlNode> {
    const latest = new Map<string, YamlNode>();
    const out = new Map<Alias, YamlNode>();
    let aliases = 0;
    const walk = (n: unknown, depth: number): void => {
      if (!isNode(n)) return;
      if (isAlias(n)) {
        if (++aliases > MAX_ALIASES) {
          throw new LoadError(`more than ${MAX_ALIASES} aliases in one document`, { location: this.loc(n) });
        }
        const target = latest.get(n.source);
        if (target) out.set(n, target);
        return;
      }
      if (n.anchor) latest.set(n.anchor, n);
      if (!isMap(n) && !isSeq(n)) return;
      if (depth >= MAX_DEPTH) {
        throw new LoadError(TOO_DEEP, { location: this.loc(n) });
      }
      for (const item of n.items as unknown[]) {
        if (isPair(item)) {
          walk(item.key, depth + 1);
          walk(item.value, depth + 1);
        } else walk(item, depth + 1);
      }
    };
    walk(doc.contents, 0);
    return out;
  }

  loc(n: YamlNode | null | undefined): SourceLocation | undefined {
    return n?.range ? this.at(n.range[0]) : undefined;
  }

  node(n: YamlNode | null): unknown {
    if (++this.visits > MAX_NODE_VISITS) {
      throw new LoadError('document is too large or has too many alias expansions', {
        location: this.loc(n),
      });
    }
    if (n === null) return null;
    if (isAlias(n)) {
      const target = this.targets.get(n);
      if (!target) throw new LoadError(`unknown anchor "${n.source}"`, { location: this.loc(n) });
      if (this.resolving.has(target))
        throw new LoadError(`alias "${n.source}" refers to itself`, { location: this.loc(n) });
      this.resolving.add(target);
      try {
        return this.node(target);
      } finally {
        this.resolving.delete(target);
      }
    }
    const tag = n.tag;
    // Aliases can nest a deep structure inside another, so the depth is checked again here.
    const nested = isMap(n) || isSeq(n);
    if (nested && ++this.depth > MAX_DEPTH) {
      throw new LoadError(TOO_DEEP, { location: this.loc(n) });
    }
    let value: unknown;
    try {
      value = this.plain(n);
    } finally {
      if (nested) this.depth--;
    }
    if (tag === '!reset') return new Tagged('reset', value);
    if (tag === '!override') return new Tagged('override', value);
    return value;
  }

  private plain(n: YamlNode): unknown {
    if (isScalar(n)) {
      const v = n.value;
      if (n.tag === '!reset' || n.tag === '!override')
        return typeof v === 'string' && v === 'null' ? null : v;
      if (typeof v === 'bigint') return Number(v);
      return v === undefined ? null : v;
    }
    if (isSeq(n)) {
      const out: unknown[] = [];
      setNodeLoc(out, this.loc(n));
      for (const item of n.items) {
        const i = out.length;
        out.push(this.node(item as YamlNode | null));
        setKeyLoc(out, i, this.loc(item as YamlNode | null));
      }
      return out;
    }
    if (isMap(n)) {
      const out: Mapping = {};
      setNodeLoc(out, this.loc(n));
      const merges: Pair[] = [];
      for (const pair of n.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = this.keyText(keyNode);
        if (key === '<<' && !(isScalar(keyNode) && keyNode.type !== 'PLAIN')) {
          merges.push(pair);
          continue;
        }
        if (Object.prototype.hasOwnProperty.call(out, key)) {
          throw new LoadError(`mapping key "${key}" already defined`, { location: this.loc(keyNode) });
        }
        out[key] = this.node(pair.value as YamlNode | null);
        setKeyLoc(out, key, this.loc(keyNode));
      }
      for (const pair of merges) this.applyMerge(out, pair);
      return out;
    }
    return null;
  }

  private keyText(k: YamlNode | null): string {
    if (k === null) return '';
    if (isScalar(k)) return k.value === null ? 'null' : String(k.value);
    if (isAlias(k)) {
      const v = this.node(k);
      if (typeof v === 'object' && v !== null)
        throw new LoadError('mapping keys must be scalars', { location: this.loc(k) });
      return String(v);
    }
    throw new LoadError('mapping keys must be scalars', { location: this.loc(k) });
  }

  /** `<<: *a` or `<<: [*a, *b]`: keys already present win, then earlier sources win. */
  private applyMerge(out: Mapping, pair: Pair): void {
    const v = pair.value as YamlNode | null;
    const sources = isSeq(v) ? (v.items as (YamlNode | null)[]) : [v];
    for (const s of sources) {
      const m = this.node(s);
      if (!isMapping(m)) {
        throw new LoadError('merge key "<<" needs a mapping or a list of mappings', {
          location: this.loc(s ?? (pair.key as YamlNode)),
        });
      }
      for (const [k, val] of Object.entries(m)) {
        if (Object.prototype.hasOwnProperty.call(out, k)) continue;
        out[k] = val;
        setKeyLoc(out, k, this.loc(s));
        copyKeyLoc(m, k, out, k);
      }
    }
  }
}
