// Puts a file position on each issue. The loaded Project keeps no positions, so the compose files are
// parsed again and the path looked up in each, the last file first (the one whose value won the merge).
import { parseYaml, type ParsedFile } from '../../loader/parse.js';
import { readText } from '../../loader/load-file.js';
import { hasPath as has, locate } from '../../loader/positions.js';
import type { SourceLocation } from '../../model/types.js';
import type { DeployIssue } from './types.js';

function parseAll(files: string[]): ParsedFile[] {
  const out: ParsedFile[] = [];
  for (const f of files) {
    if (f === '-') continue;
    try {
      out.push(parseYaml(readText(f), f, f));
    } catch {
      // the loader read these files a moment ago; a file that changed since just goes unlocated
    }
  }
  return out.reverse();
}

export function locateIssues(issues: DeployIssue[], files: string[]): DeployIssue[] {
  if (issues.length === 0) return issues;
  const parsed = parseAll(files);
  const where = (path: (string | number)[]): SourceLocation | undefined => {
    // the exact path first; failing that (an attribute set by extends or include), its nearest parent
    for (let n = path.length; n > 0; n--) {
      const prefix = path.slice(0, n);
      const hit = parsed.find((p) => has(p.tree, prefix));
      if (hit) return locate(hit.tree, prefix);
    }
    const first = files[0];
    return first ? { file: first, line: 0, col: 0 } : undefined;
  };
  const located = issues.map((i) => ({ ...i, location: i.location ?? where(i.path) }));
  // file order reads best; the sort is stable, so unlocated issues keep their relative order
  return located.sort((a, b) =>
    a.location && b.location && a.location.file === b.location.file ? a.location.line - b.location.line : 0,
  );
}

/** One line per issue, `file:line:col: message (hint)` like every other cmp message. */
export function formatIssue(i: DeployIssue): string {
  const loc = i.location;
  const prefix = loc ? `${loc.file}${loc.line > 0 ? `:${loc.line}:${loc.col}` : ''}: ` : '';
  const attr = i.path.join('.');
  return `${i.severity}: ${prefix}${attr}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`;
}
