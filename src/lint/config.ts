// Per-rule severities from the project's `x-cmp: {lint: {rules: {<id>: off|warning|error}}}` block.
// The schema checks the values; an unknown rule id is refused here, with a did-you-mean.
import { suggest } from '../loader/suggest.js';
import type { Project } from '../model/types.js';
import { LoadError } from '../util/errors.js';
import { RULES } from './rules/index.js';
import type { LintSources } from './types.js';
import type { Severity } from './types.js';

export type Configured = Severity | 'off';

function rulesBlock(project: Project): Record<string, unknown> {
  const cmp = project.extensions['x-cmp'];
  const lint = cmp && typeof cmp === 'object' ? (cmp as Record<string, unknown>).lint : undefined;
  const rules = lint && typeof lint === 'object' ? (lint as Record<string, unknown>).rules : undefined;
  return rules && typeof rules === 'object' ? (rules as Record<string, unknown>) : {};
}

export function configuredSeverities(project: Project, sources: LintSources): Map<string, Configured> {
  const out = new Map<string, Configured>();
  const ids = RULES.map((r) => r.id);
  for (const [id, value] of Object.entries(rulesBlock(project))) {
    const path = ['x-cmp', 'lint', 'rules', id];
    if (!ids.includes(id))
      throw new LoadError(`unknown lint rule "${id}"`, {
        location: sources.locate(path),
        hint: suggest(id, ids) ?? `known rules: ${ids.join(', ')}`,
      });
    if (value !== 'off' && value !== 'warning' && value !== 'error')
      throw new LoadError(`lint rule ${id}: severity must be off, warning or error`, {
        location: sources.locate(path),
      });
    out.set(id, value);
  }
  return out;
}
