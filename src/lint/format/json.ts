// Machine-readable findings: one object per finding with a flat location, and the counts.
import type { Finding } from '../types.js';
import { displayPath } from './text.js';

export function formatJson(findings: readonly Finding[], cwd: string): string {
  const count = (s: string): number => findings.filter((f) => f.severity === s).length;
  const out = {
    findings: findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      service: f.service ?? null,
      message: f.message,
      fix: f.fix,
      file: f.location ? displayPath(f.location.file, cwd) : null,
      line: f.location && f.location.line > 0 ? f.location.line : null,
      col: f.location && f.location.line > 0 ? f.location.col : null,
    })),
    counts: { error: count('error'), warning: count('warning'), info: count('info') },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
