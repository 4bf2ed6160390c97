// The "accepted but not applied" warnings for commands that run the project (`up`, `up --dry-run`):
// the lint rule's findings, located and formatted as lint prints them, without the other rules.
import type { Project } from '../model/types.js';
import { displayPath } from './format/text.js';
import { ignoredAttributes } from './rules/ignored-by-runtime.js';
import { sourcesOfProject } from './sources.js';
import type { LintRuntime } from './types.js';

/** One line per attribute and owner: `file:line:col: message (fix: ...)`, in file order. */
export function ignoredAttributeWarnings(
  project: Project,
  runtime: LintRuntime,
  cwd: string,
  services?: readonly string[],
): string[] {
  const sources = sourcesOfProject(project);
  const only = services && services.length > 0 ? new Set(services) : undefined;
  return ignoredAttributes(project, sources, runtime)
    .filter((h) => !only || h.service === undefined || only.has(h.service))
    .map((h) => ({ ...h, loc: sources.locate(h.path) }))
    .sort(
      (a, b) =>
        (a.loc?.file ?? '').localeCompare(b.loc?.file ?? '') || (a.loc?.line ?? 0) - (b.loc?.line ?? 0),
    )
    .map((h) => {
      const where = h.loc ? `${displayPath(h.loc.file, cwd)}:${h.loc.line}:${h.loc.col}: ` : '';
      return `${where}${h.message} (fix: ${h.fix})`;
    });
}
