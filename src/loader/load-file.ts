// One compose file through the per-file phases: parse, interpolate, resolve relative paths.
// `include` and `extends` call back into this for the files they pull in.
import { readFileSync } from 'node:fs';
import { LoadError } from '../util/errors.js';
import { interpolateTree, type InterpolationContext } from './interpolate.js';
import { parseYaml } from './parse.js';
import { resolveFilePaths } from './paths.js';
import type { Lookup } from './template.js';
import type { Mapping } from './tree.js';

export interface FileSettings {
  interpolate: boolean;
  lookup: Lookup;
  warned: Set<string>;
  warn: (m: string) => void;
  home: string | undefined;
}

export function readText(path: string, from?: { file: string; line: number; col: number }): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'EISDIR'
          ? 'is a directory'
          : (e as Error).message;
    throw new LoadError(`open ${path}: ${why}`, { location: from ?? { file: path, line: 0, col: 0 } });
  }
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
    const ctx: InterpolationContext = { lookup: s.lookup, warned: s.warned, warn: s.warn };
    interpolateTree(tree, ctx);
  }
  resolveFilePaths(tree, baseDir, s.home);
  return tree;
}
