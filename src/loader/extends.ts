// Phase 7, extends: replace each service that `extends` another by the merge of its (itself
// resolved) base and its own attributes. A base in another file is loaded through the per-file
// phases with that file's folder as the base of its relative paths.
import { dirname } from 'node:path';
import type { SourceLocation } from '../model/types.js';
import { LoadError } from '../util/errors.js';
import { loadFileTree, readText, type FileSettings } from './load-file.js';
import { mergeServices } from './merge.js';
import { absPath } from './paths.js';
import { keyLoc } from './positions.js';
import { suggest } from './suggest.js';
import { cloneTree, isMapping, type Mapping } from './tree.js';

/** Longest `extends` chain; real ones have two or three links, and each link is a level of recursion. */
export const MAX_EXTENDS_DEPTH = 100;

export class ExtendsResolver {
  private readonly files = new Map<string, Mapping>();
  /** Resolved services by `file#name`: a base shared by many services (or a long chain) is merged once. */
  private readonly resolved = new Map<string, Mapping>();
  /** Links below each resolved service, so the chain bound holds whatever order services resolve in. */
  private readonly depths = new Map<string, number>();

  constructor(private readonly settings: FileSettings) {}

  /** Resolves every service of `tree` (the file at `file`) in place. */
  resolveAll(tree: Mapping, file: string): void {
    const services = tree.services;
    if (!isMapping(services)) return;
    this.files.set(file, tree);
    const done = new Map<string, Mapping>();
    for (const name of Object.keys(services)) {
      if (isMapping(services[name])) done.set(name, this.resolve(name, tree, file, []));
    }
    for (const [name, svc] of done) services[name] = svc;
  }

  private resolve(name: string, tree: Mapping, file: string, stack: string[]): Mapping {
    const self = `${file}#${name}`;
    const known = this.resolved.get(self);
    if (known) return known;
    const services = tree.services as Mapping;
    const svc = services[name] as Mapping;
    const ext = svc.extends;
    if (ext === undefined) return svc;
    const where: SourceLocation | undefined = keyLoc(svc, 'extends');
    if (stack.length >= MAX_EXTENDS_DEPTH) throw this.tooLong(where);
    let baseName: string;
    let baseFile = file;
    let baseTree = tree;
    if (typeof ext === 'string') baseName = ext;
    else if (isMapping(ext) && typeof ext.service === 'string') {
      baseName = ext.service;
      if (typeof ext.file === 'string') {
        baseFile = absPath(ext.file, file === '-' ? process.cwd() : dirname(file), this.settings.home);
        baseTree = this.load(baseFile, keyLoc(ext, 'file') ?? where);
      }
    } else {
      throw new LoadError(`services.${name}.extends must be a string or a mapping with "service"`, {
        location: where,
      });
    }
    const id = `${baseFile}#${baseName}`;
    const chain = [...stack, self];
    if (chain.includes(id)) {
      const names = [...chain, id].map((s) => s.slice(s.lastIndexOf('#') + 1));
      throw new LoadError(`extends cycle: ${names.join(' -> ')}`, { location: where });
    }
    const baseServices = isMapping(baseTree.services) ? baseTree.services : {};
    if (!isMapping(baseServices[baseName])) {
      throw new LoadError(`cannot extend service "${name}": service "${baseName}" not found in ${baseFile}`, {
        location: where,
        hint: suggest(baseName, Object.keys(baseServices)),
      });
    }
    const base = cloneTree(this.resolve(baseName, baseTree, baseFile, chain));
    const own: Mapping = {};
    for (const [k, v] of Object.entries(svc)) if (k !== 'extends') own[k] = v;
    const depth = (this.depths.get(id) ?? 0) + 1;
    if (depth + stack.length > MAX_EXTENDS_DEPTH) throw this.tooLong(where);
    const merged = mergeServices(base, own);
    this.resolved.set(self, merged);
    this.depths.set(self, depth);
    return merged;
  }

  private tooLong(where: SourceLocation | undefined): LoadError {
    return new LoadError(`extends chain longer than ${MAX_EXTENDS_DEPTH} services`, { location: where });
  }

  private load(path: string, from: SourceLocation | undefined): Mapping {
    const cached = this.files.get(path);
    if (cached) return cached;
    const tree = loadFileTree(readText(path, from), path, path, dirname(path), this.settings);
    this.files.set(path, tree);
    return tree;
  }
}
