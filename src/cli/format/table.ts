// Column tables as docker prints them: left-aligned, three spaces between columns, no trailing blanks.

export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
      .join('')
      .trimEnd();
  return `${all.map(line).join('\n')}\n`;
}

/** One JSON object per line (JSON Lines), as compose's `--format json` does. */
export function jsonLines(items: readonly unknown[]): string {
  return items.map((i) => `${JSON.stringify(i)}\n`).join('');
}
