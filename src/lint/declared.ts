// What the files say before normalisation fills things in: the loader adds implicit depends_on
// entries for links, `service:` namespaces and volumes_from, which some rules must tell apart.
import type { LintSources } from './types.js';

/** The dependency was written under depends_on (short or long syntax); assumed so when no file could be read. */
export function declaresDependency(sources: LintSources, service: string, dependency: string): boolean {
  if (sources.files.length === 0) return true;
  return sources.raw(['services', service, 'depends_on', dependency]) !== undefined;
}
