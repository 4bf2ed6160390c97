// Phase 6, include: each included file is loaded as a project of its own (its own folder for
// relative paths, its own env file for defaults that the including environment overrides), and its
// services and resources are copied in. Where a name exists on both sides the including file's
// definition is merged over the included one (what compose-go does today; see docs/loader.md).
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { IncludedEnvFiles, SourceLocation } from '../model/types.js';
import { LoadError } from '../util/errors.js';
import { readEnvFileInto, type Env } from './environment.js';
import { ExtendsResolver } from './extends.js';
import { loadFileTree, readText, type FileSettings } from './load-file.js';
import { mergeFiles } from './merge.js';
import { absPath } from './paths.js';
import { keyLoc } from './positions.js';
import { isMapping, type Mapping } from './tree.js';

const IMPORTED = ['services', 'networks', 'volumes', 'configs', 'secrets'] as const;

interface IncludeEntry {
  paths: string[];
  projectDir: string | undefined;
  envFiles: string[] | undefined;
  where: SourceLocation | undefined;
}

function entries(list: unknown, fileDir: string, home: string | undefined, file: string): IncludeEntry[] {
  if (!Array.isArray(list)) {
    throw new LoadError('include must be a list', {
      location: keyLoc(list, -1) ?? { file, line: 0, col: 0 },
    });
  }
  return list.map((item, i): IncludeEntry => {
    const where = keyLoc(list, i);
    if (typeof item === 'string')
      return { paths: [absPath(item, fileDir, home)], projectDir: undefined, envFiles: undefined, where };
    if (isMapping(item)) {
      const p = item.path;
      const paths =
        typeof p === 'string'
          ? [p]
          : Array.isArray(p)
            ? p.filter((x): x is string => typeof x === 'string')
            : [];
      if (paths.length === 0) throw new LoadError(`include[${i}].path is required`, { location: where });
      const ef = item.env_file;
      const envFiles = typeof ef === 'string' ? [ef] : Array.isArray(ef) ? ef.map(String) : undefined;
      return {
        paths: paths.map((x) => absPath(x, fileDir, home)),
        projectDir:
          typeof item.project_directory === 'string'
            ? absPath(item.project_directory, fileDir, home)
            : undefined,
        envFiles: envFiles?.map((x) => absPath(x, fileDir, home)),
        where,
      };
    }
    throw new LoadError(`include[${i}] must be a string or a mapping`, { location: where });
  });
}

/**
 * Applies the `include` of `tree` (the file `file`), recursively; `stack` holds the files being
 * included, to report cycles. Returns the tree with the included resources merged under it.
 */
export function applyIncludes(
  tree: Mapping,
  file: string,
  settings: FileSettings,
  env: Env,
  stack: string[],
  envSources: IncludedEnvFiles,
  inheritedEnvFiles: string[] = [],
): Mapping {
  const inc = tree.include;
  if (inc === undefined || inc === null) {
    delete tree.include;
    return tree;
  }
  const fileDir = file === '-' ? process.cwd() : dirname(file);
  let imported: Mapping = {};
  for (const entry of entries(inc, fileDir, settings.home, file)) {
    for (const p of entry.paths) {
      if (stack.includes(p)) {
        throw new LoadError(`include cycle detected: ${[...stack, p].join(' -> ')}`, {
          location: entry.where,
        });
      }
    }
    const projectDir = entry.projectDir ?? dirname(entry.paths[0] as string);
    // The included project's own env file gives defaults; the including environment wins.
    const own: Env = {};
    const envFiles = entry.envFiles ?? [resolve(projectDir, '.env')].filter((p) => existsSync(p));
    for (const f of envFiles) {
      if (!existsSync(f)) throw new LoadError(`couldn't find env file: ${f}`, { location: entry.where });
      readEnvFileInto(f, own, (n) => env[n], entry.where);
    }
    const subEnv: Env = { ...own, ...env };
    const sub: FileSettings = { ...settings, lookup: (n) => subEnv[n] };
    let merged: Mapping | undefined;
    for (const p of entry.paths) {
      let t = loadFileTree(readText(p, entry.where), p, p, projectDir, sub);
      t = applyIncludes(t, p, sub, subEnv, [...stack, p], envSources, [...envFiles, ...inheritedEnvFiles]);
      recordEnvSources(t, envSources, [...envFiles, ...inheritedEnvFiles]);
      new ExtendsResolver(sub).resolveAll(t, p);
      merged = merged ? mergeFiles(merged, t) : t;
    }
    if (!merged) continue;
    const part: Mapping = {};
    for (const k of IMPORTED) if (merged[k] !== undefined) part[k] = merged[k];
    imported = mergeFiles(imported, part);
  }
  delete tree.include;
  return mergeFiles(imported, tree);
}

/**
 * Notes which env files a config or secret with an `environment:` source defined in an included file
 * reads (its own project's, then its includers'): the value is read when a container is made, not here.
 */
function recordEnvSources(tree: Mapping, into: IncludedEnvFiles, files: string[]): void {
  if (files.length === 0) return;
  for (const kind of ['configs', 'secrets'] as const) {
    const defs = tree[kind];
    if (!isMapping(defs)) continue;
    for (const [name, def] of Object.entries(defs)) {
      if (isMapping(def) && typeof def.environment === 'string' && !into[kind][name])
        into[kind][name] = files;
    }
  }
}
