// One line per finding, in the shape compilers use so editors can jump to it:
// `file:line:col: severity rule-id: message (fix: ...)`.
import { relative } from 'node:path';
import type { SourceLocation } from '../../model/types.js';
import type { Finding } from '../types.js';

export function displayPath(file: string, cwd: string): string {
  if (file === '-' || !file.startsWith('/')) return file;
  const rel = relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}

function where(loc: SourceLocation | undefined, cwd: string): string {
  if (!loc) return '';
  const file = displayPath(loc.file, cwd);
  return loc.line > 0 ? `${file}:${loc.line}:${loc.col}: ` : `${file}: `;
}

export function formatText(findings: readonly Finding[], cwd: string): string {
  return findings
    .map((f) => `${where(f.location, cwd)}${f.severity} ${f.rule}: ${f.message} (fix: ${f.fix})\n`)
    .join('');
}

export function summaryLine(findings: readonly Finding[]): string {
  const count = (s: string): number => findings.filter((f) => f.severity === s).length;
  const n = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;
  return `${n(count('error'), 'error')}, ${n(count('warning'), 'warning')}, ${count('info')} info\n`;
}
