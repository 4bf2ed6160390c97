// Where a key of a service's build section was written, from the positions the loader kept.
import { locateIn } from '../model/source-locator.js';
import type { Project, SourceLocation } from '../model/types.js';

/** The position of `services.<service>.build[.key]`, or of the nearest part of that path that was written. */
export function locateBuildKey(project: Project, service: string, key?: string): SourceLocation | undefined {
  return locateIn(project, ['services', service, 'build', ...(key === undefined ? [] : [key])]);
}
