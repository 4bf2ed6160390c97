// The part of Go's text/template that `--format` users type to docker and compose: `{{.Field}}`,
// `{{json .}}`, `{{json .Field}}`, and a leading `table` for a header row and aligned columns. Anything
// else in `{{ }}` is a one-line error rather than a silent blank.
import { UsageError } from '../../util/errors.js';

export type TemplateRow = Record<string, unknown>;

/** docker's headers for the fields it knows; others are the field name in capitals. */
const HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  RunningFor: 'CREATED',
  CreatedAt: 'CREATED AT',
  ExitCode: 'EXIT CODE',
  LocalVolumes: 'LOCAL VOLUMES',
};

interface Piece {
  text?: string;
  field?: string;
  json?: boolean;
}

function parse(template: string): Piece[] {
  const pieces: Piece[] = [];
  const re = /\{\{-?\s*(.*?)\s*-?\}\}/g;
  let at = 0;
  for (const m of template.matchAll(re)) {
    if ((m.index ?? 0) > at) pieces.push({ text: template.slice(at, m.index) });
    at = (m.index ?? 0) + m[0].length;
    const action = m[1] ?? '';
    const json = /^json\s+(.+)$/.exec(action);
    const target = (json ? json[1] : action)?.trim() ?? '';
    if (target === '.') pieces.push({ field: '', json: true });
    else if (/^\.[A-Za-z]\w*$/.test(target)) pieces.push({ field: target.slice(1), json: !!json });
    else
      throw new UsageError(`--format: cannot read "{{${action}}}"`, {
        hint: 'use {{.Field}}, {{json .}}, {{json .Field}} or a leading "table"',
      });
  }
  if (at < template.length) pieces.push({ text: template.slice(at) });
  return pieces;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '<no value>';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function render(pieces: readonly Piece[], row: TemplateRow): string {
  return pieces
    .map((p) => {
      if (p.text !== undefined) return p.text;
      const value = p.field === '' ? row : row[p.field ?? ''];
      if (p.field !== '' && !((p.field ?? '') in row))
        throw new UsageError(`--format: no field "${p.field}"`, {
          hint: `fields: ${Object.keys(row).join(', ')}`,
        });
      return p.json ? JSON.stringify(value ?? null) : show(value);
    })
    .join('');
}

/** docker's tabwriter: columns at least 10 wide, 3 spaces between, the last one as it is. */
function align(lines: readonly string[]): string {
  const cells = lines.map((l) => l.split('\t'));
  const widths: number[] = [];
  for (const row of cells)
    row.forEach((c, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 10, c.length + 3);
    });
  return cells
    .map((row) => row.map((c, i) => (i < row.length - 1 ? c.padEnd(widths[i] ?? 0) : c)).join(''))
    .map((l) => `${l.trimEnd()}\n`)
    .join('');
}

/** Renders each row with `format` (a template, possibly `table ...`), one line each. */
export function formatTemplate(format: string, rows: readonly TemplateRow[]): string {
  // Shells pass `\t` and `\n` as two characters; docker reads them as the control characters.
  const text = format.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const table = /^table\s+/.exec(text);
  const pieces = parse(table ? text.slice(table[0].length) : text);
  const lines = rows.map((r) => render(pieces, r));
  if (!table) return lines.map((l) => `${l}\n`).join('');
  const header = pieces
    .map((p) =>
      p.text !== undefined
        ? p.text
        : p.field === ''
          ? ''
          : (HEADERS[p.field ?? ''] ?? (p.field ?? '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()),
    )
    .join('');
  return align([header, ...lines]);
}
