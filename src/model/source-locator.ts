// Where each value of a loaded project was written. The Project is plain data and carries no positions;
// the loader, which has them in its merged tree, registers a locator beside each project it returns, so a
// later layer (a driver failing on a config's source, say) can point at the file and line without
// parsing the compose files again.
import type { Project, SourceLocation } from './types.js';

export type SourceLocator = (path: readonly (string | number)[]) => SourceLocation | undefined;

const locators = new WeakMap<Project, SourceLocator>();

export function registerLocator(project: Project, locator: SourceLocator): void {
  locators.set(project, locator);
}

/** A project made from another (`{ ...project, services }`) keeps the positions of its source. */
export function keepLocator(from: Project, to: Project): Project {
  const locator = locators.get(from);
  if (locator) locators.set(to, locator);
  return to;
}

/**
 * The deepest known position along `path`; a project that did not come from the loader (rebuilt from
 * labels) points at its first file, without a line.
 */
export function locateIn(project: Project, path: readonly (string | number)[]): SourceLocation | undefined {
  const found = locators.get(project)?.(path);
  if (found) return found;
  const first = project.config_files[0];
  return first && first !== '-' ? { file: first, line: 0, col: 0 } : undefined;
}
