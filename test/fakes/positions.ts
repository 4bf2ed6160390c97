// A hand-built Project has no positions; the loader registers them for the projects it returns. This gives
// a hand-built one the positions of the compose file a test wrote, as the loader would.
import { readFileSync } from 'node:fs';
import { parseYaml } from '../../src/loader/parse.js';
import { locate } from '../../src/loader/positions.js';
import { registerLocator } from '../../src/model/source-locator.js';
import type { Project } from '../../src/model/types.js';

export function withPositionsOf<P extends Project>(project: P, file: string): P {
  const parsed = parseYaml(readFileSync(file, 'utf8'), file, file);
  registerLocator(project, (path) => locate(parsed.tree, path));
  return project;
}
