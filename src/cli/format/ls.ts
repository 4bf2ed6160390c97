// `cmp ls`: one line per project with its containers counted by state, compose's way (`running(2), exited(1)`).
import { LABEL, type ContainerState } from '../../runtime/types.js';
import { jsonLines, renderTable } from './table.js';

export interface ProjectRow {
  Name: string;
  Status: string;
  ConfigFiles: string;
}

/** States in first-seen order over containers sorted by name, so the text is stable. */
export function statusSummary(containers: readonly ContainerState[]): string {
  const counts = new Map<string, number>();
  for (const c of [...containers].sort((a, b) => a.name.localeCompare(b.name))) {
    counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  }
  return [...counts].map(([state, n]) => `${state}(${n})`).join(', ');
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
  if (format === 'json') return jsonLines(sorted);
  return renderTable(
    ['NAME', 'STATUS', 'CONFIG FILES'],
    sorted.map((r) => [r.Name, r.Status, r.ConfigFiles]),
  );
}
