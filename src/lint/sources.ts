// The canonical Project carries no positions (the loader keeps them beside its private tree), so lint
// re-parses the project's files with the loader's own parser and finds each model path in them. The
// model is in long syntax while files may use the short one, so a name segment also matches a list
// item (`depends_on: [db]`, `environment: [DB_HOST=db]`, `links: [db:database]`).
import { readFileSync } from 'node:fs';
import { loadProject, type LoadOptions } from '../loader/index.js';
import { parseYaml, type ParsedFile } from '../loader/parse.js';
import { keyLoc, nodeLoc } from '../loader/positions.js';
import { isMapping } from '../loader/tree.js';
import type { Project, SourceLocation } from '../model/types.js';
import type { LintSources, ModelPath } from './types.js';

interface Walk {
  depth: number;
  value: unknown;
  loc: SourceLocation | undefined;
}

function matchesItem(item: unknown, seg: string): boolean {
  if (typeof item === 'string')
    return item === seg || item.startsWith(`${seg}=`) || item.startsWith(`${seg}:`);
  return false;
}

function walk(root: unknown, path: ModelPath): Walk {
  let node = root;
  let loc = nodeLoc(root);
  let depth = 0;
  for (const seg of path) {
    let next: unknown;
    let key: string | number | undefined;
    if (Array.isArray(node)) {
      key = typeof seg === 'number' ? seg : node.findIndex((item) => matchesItem(item, seg));
      if (key < 0 || key >= node.length) break;
      next = node[key];
    } else if (isMapping(node) && Object.prototype.hasOwnProperty.call(node, String(seg))) {
      key = String(seg);
      next = node[key];
    } else break;
    loc = keyLoc(node, key) ?? loc;
    node = next;
    depth++;
  }
  return { depth, value: depth === path.length ? node : undefined, loc };
}

/** `extends: base` inside the same file: a service's value may have been written under its base. */
function extendsBase(tree: unknown, service: string): string | undefined {
  const services = isMapping(tree) ? tree.services : undefined;
  const svc = isMapping(services) ? services[service] : undefined;
  const ext = isMapping(svc) ? svc.extends : undefined;
  if (typeof ext === 'string') return ext;
  if (isMapping(ext) && typeof ext.service === 'string' && ext.file === undefined) return ext.service;
  return undefined;
}

function walkFile(tree: unknown, path: ModelPath): Walk {
  const w = walk(tree, path);
  const base =
    path[0] === 'services' && w.depth < path.length ? extendsBase(tree, String(path[1])) : undefined;
  if (base === undefined) return w;
  const viaBase = walk(tree, ['services', base, ...path.slice(2)]);
  return viaBase.depth > w.depth ? viaBase : w;
}

function best(files: readonly ParsedFile[], path: ModelPath): Walk | undefined {
  let found: Walk | undefined;
  // Later files override earlier ones, so on a tie the later file is where the value came from.
  for (const f of files) {
    const w = walkFile(f.tree, path);
    if (!found || w.depth >= found.depth) found = w;
  }
  return found;
}

export function sourcesOf(files: readonly ParsedFile[]): LintSources {
  return {
    files,
    locate: (path) => best(files, path)?.loc,
    raw: (path) => {
      for (const f of [...files].reverse()) {
        const w = walkFile(f.tree, path);
        if (w.depth === path.length) return w.value;
      }
      return undefined;
    },
  };
}

/** A loaded project's files parsed again, for positions and raw values. */
export function sourcesOfProject(project: Project): LintSources {
  const files: ParsedFile[] = [];
  for (const f of project.config_files) {
    if (f === '-') continue; // stdin was consumed by the loader; findings from it carry no position
    files.push(parseYaml(readFileSync(f, 'utf8'), f, f));
  }
  return sourcesOf(files);
}

/** Loads the project as every command does, then parses its files again for positions and raw values. */
export async function loadForLint(opts: LoadOptions): Promise<{ project: Project; sources: LintSources }> {
  const project = await loadProject({ ...opts, services: undefined });
  return { project, sources: sourcesOfProject(project) };
}
