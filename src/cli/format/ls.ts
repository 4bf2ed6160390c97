// `cmp ls`: one line per project with its containers counted by state, compose's way (`exited(1), running(2)`).
import { LABEL, type ContainerState } from '../../runtime/types.js';
import { renderTable } from './table.js';

export interface ProjectRow {
  Name: string;
  Status: string;
  ConfigFiles: string;
}

/** States in alphabetical order, each with its count: `exited(1), running(2)`, as compose prints them. */
export function statusSummary(containers: readonly ContainerState[]): string {
  const counts = new Map<string, number>();
  for (const c of containers) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([state, n]) => `${state}(${n})`)
    .join(', ');
}

export function projectRow(name: string, containers: readonly ContainerState[]): ProjectRow {
  const files = new Set<string>();
  for (const c of containers) {
    for (const f of (c.labels[LABEL.configFiles] ?? '').split(',')) if (f) files.add(f);
  }
  return { Name: name, Status: statusSummary(containers), ConfigFiles: [...files].join(',') };
}

export function formatLs(rows: readonly ProjectRow[], format: 'table' | 'json', quiet: boolean): string {
  const sorted = [...rows].sort((a, b) => a.Name.localeCompare(b.Name));
  if (quiet) return sorted.map((r) => `${r.Name}\n`).join('');
  // One JSON array, not JSON lines: that is what `docker compose ls --format json` prints.
  if (format === 'json') return `${JSON.stringify(sorted)}\n`;
  return renderTable(
    ['NAME', 'STATUS', 'CONFIG FILES'],
    sorted.map((r) => [r.Name, r.Status, r.ConfigFiles]),
  );
}
