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

export class ExtendsResolver {
  private readonly files = new Map<string, Mapping>();

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
    const services = tree.services as Mapping;
    const svc = services[name] as Mapping;
    const ext = svc.extends;
    if (ext === undefined) return svc;
    const where: SourceLocation | undefined = keyLoc(svc, 'extends');
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
    const chain = [...stack, `${file}#${name}`];
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
    return mergeServices(base, own);
  }

  private load(path: string, from: SourceLocation | undefined): Mapping {
    const cached = this.files.get(path);
    if (cached) return cached;
    const tree = loadFileTree(readText(path, from), path, path, dirname(path), this.settings);
    this.files.set(path, tree);
    return tree;
  }
}
