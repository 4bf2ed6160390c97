// Runs every rule over a loaded project and returns located findings, most severe configuration
// applied, in file order.
import type { SourceLocation } from '../model/types.js';
import { UsageError } from '../util/errors.js';
import { suggest } from '../loader/suggest.js';
import { configuredSeverities } from './config.js';
import { RULES } from './rules/index.js';
import type { Finding, LintContext } from './types.js';

export interface LintOptions {
  /** Keep only findings about these services (project-level findings are kept too). */
  services?: string[];
}

function byPlace(a: Finding, b: Finding): number {
  const la: SourceLocation = a.location ?? { file: '', line: 0, col: 0 };
  const lb: SourceLocation = b.location ?? { file: '', line: 0, col: 0 };
  return (
    la.file.localeCompare(lb.file) || la.line - lb.line || la.col - lb.col || a.rule.localeCompare(b.rule)
  );
}

export function lint(ctx: LintContext, opts: LintOptions = {}): Finding[] {
  const names = Object.keys(ctx.project.services);
  for (const s of opts.services ?? [])
    if (!names.includes(s)) throw new UsageError(`no such service: ${s}`, { hint: suggest(s, names) });
  const only = opts.services?.length ? new Set(opts.services) : undefined;
  const configured = configuredSeverities(ctx.project, ctx.sources);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const severity = configured.get(rule.id) ?? rule.severity;
    if (severity === 'off') continue;
    for (const hit of rule.check(ctx)) {
      if (only && hit.service !== undefined && !only.has(hit.service)) continue;
      findings.push({ ...hit, rule: rule.id, severity, location: ctx.sources.locate(hit.path) });
    }
  }
  return findings.sort(byPlace);
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
