// One compose file through the per-file phases: parse, interpolate, resolve relative paths.
// `include` and `extends` call back into this for the files they pull in.
import type { SourceLocation } from '../model/types.js';
import { interpolateTree, type InterpolationBudget, type InterpolationContext } from './interpolate.js';
import { parseYaml } from './parse.js';
import { resolveFilePaths } from './paths.js';
import { readBounded } from './read-file.js';
import type { Lookup } from './template.js';
import type { Mapping } from './tree.js';

export interface FileSettings {
  interpolate: boolean;
  lookup: Lookup;
  warned: Set<string>;
  budget: InterpolationBudget;
  warn: (m: string) => void;
  home: string | undefined;
}

/** A compose file's text (regular files under the size cap only); errors point at `from` when given. */
export function readText(path: string, from?: SourceLocation): string {
  return readBounded(path, 'compose file', from);
}

/** Parse, interpolate and resolve paths of one file whose relative paths belong to `baseDir`. */
export function loadFileTree(
  text: string,
  file: string,
  display: string,
  baseDir: string,
  s: FileSettings,
): Mapping {
  const { tree } = parseYaml(text, file, display);
  if (s.interpolate) {
    const ctx: InterpolationContext = { lookup: s.lookup, warned: s.warned, warn: s.warn, budget: s.budget };
    interpolateTree(tree, ctx);
  }
  resolveFilePaths(tree, baseDir, s.home);
  return tree;
}
