// Phase 1, discover: which compose files to read and which folder is the project directory.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LoadError } from '../util/errors.js';

/** compose-go's preference order. */
export const DEFAULT_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
];
export const OVERRIDE_FILE_NAMES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

/** No compose file was named and none was found: commands that can work from labels alone catch this one. */
export class NoConfigFileError extends LoadError {}

export interface Discovered {
  /** Absolute paths, or "-" for stdin. */
  files: string[];
  projectDir: string;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Walks up from `start` to the first folder holding a default compose file. */
export function findDefaultFiles(start: string, warn: (m: string) => void): string[] {
  let dir = resolve(start);
  for (;;) {
    const found = DEFAULT_FILE_NAMES.filter((n) => isFile(join(dir, n)));
    if (found.length > 0) {
      if (found.length > 1) {
        warn(
          `Found multiple config files with supported names: ${found.map((n) => join(dir, n)).join(', ')}`,
        );
        warn(`Using ${join(dir, found[0] as string)}`);
      }
      const files = [join(dir, found[0] as string)];
      const override = OVERRIDE_FILE_NAMES.find((n) => isFile(join(dir, n)));
      if (override) files.push(join(dir, override));
      return files;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new NoConfigFileError('no configuration file provided: not found', {
    hint: `looked for ${DEFAULT_FILE_NAMES.join(', ')} in ${resolve(start)} and its parents`,
  });
}

export function resolveFiles(
  explicit: string[],
  composeFileVar: string | undefined,
  separator: string | undefined,
  cwd: string,
  searchFrom: string,
  warn: (m: string) => void,
): string[] {
  let files = explicit;
  let base = cwd;
  if (files.length === 0 && composeFileVar) {
    files = composeFileVar.split(separator || ':').filter((f) => f !== '');
    base = searchFrom;
  }
  if (files.length === 0) return findDefaultFiles(searchFrom, warn);
  return files.map((f) => {
    if (f === '-') return f;
    const abs = isAbsolute(f) ? f : resolve(base, f);
    if (!existsSync(abs)) throw new LoadError(`open ${abs}: no such file or directory`);
    if (!isFile(abs)) throw new LoadError(`${abs} is not a file`);
    return abs;
  });
}
