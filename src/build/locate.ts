// Where a key of a service's build section was written: the loaded Project keeps no positions, so the
// compose files are parsed again (only when an error is about to be reported).
import { readText } from '../loader/load-file.js';
import { parseYaml } from '../loader/parse.js';
import { hasPath as has, locate } from '../loader/positions.js';
import type { Project, SourceLocation } from '../model/types.js';

/** The position of `services.<service>.build[.key]`, from the last compose file that sets it. */
export function locateBuildKey(project: Project, service: string, key?: string): SourceLocation | undefined {
  const full = ['services', service, 'build', ...(key === undefined ? [] : [key])];
  const files = project.config_files.filter((f) => f !== '-').reverse();
  for (let n = full.length; n > 0; n--) {
    const path = full.slice(0, n);
    for (const f of files) {
      try {
        const parsed = parseYaml(readText(f), f, f);
        if (has(parsed.tree, path)) return locate(parsed.tree, path);
      } catch {
        // a file that changed since the load just goes unlocated
      }
    }
  }
  const first = files.at(-1);
  return first ? { file: first, line: 0, col: 0 } : undefined;
}
