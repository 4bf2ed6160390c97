// The variables a compose file uses, for `cmp config --variables`: each `$VAR`/`${VAR...}` with what
// its form says (required with `?`, a default with `-`, an alternate value with `+`), nested ones too.
import { readText } from './load-file.js';
import { parseYaml } from './parse.js';
import { closingBrace } from './template.js';

export interface TemplateVariable {
  name: string;
  required: boolean;
  defaultValue: string;
  alternateValue: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function record(out: Map<string, TemplateVariable>, v: TemplateVariable): void {
  const seen = out.get(v.name);
  if (!seen) out.set(v.name, v);
  else {
    seen.required ||= v.required;
    seen.defaultValue ||= v.defaultValue;
    seen.alternateValue ||= v.alternateValue;
  }
}

function scan(text: string, out: Map<string, TemplateVariable>): void {
  for (let i = text.indexOf('$'); i >= 0 && i < text.length; i = text.indexOf('$', i)) {
    const next = text[i + 1];
    if (next === '$') {
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) return;
      const body = text.slice(i + 2, end);
      const name = NAME.exec(body)?.[0];
      if (name) {
        const rest = body.slice(name.length);
        const op = /^(:-|:\?|:\+|-|\?|\+)/.exec(rest)?.[1] ?? '';
        const arg = rest.slice(op.length);
        record(out, {
          name,
          required: op.endsWith('?'),
          defaultValue: op.endsWith('-') ? arg : '',
          alternateValue: op.endsWith('+') ? arg : '',
        });
        scan(arg, out);
      }
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (name) record(out, { name, required: false, defaultValue: '', alternateValue: '' });
      i += 1 + (name?.length ?? 0);
    }
  }
}

function walk(node: unknown, out: Map<string, TemplateVariable>): void {
  if (typeof node === 'string') scan(node, out);
  else if (Array.isArray(node)) for (const x of node) walk(x, out);
  else if (typeof node === 'object' && node !== null) for (const x of Object.values(node)) walk(x, out);
}

/** The variables of these compose files, sorted by name. */
export function fileVariables(files: readonly string[]): TemplateVariable[] {
  const out = new Map<string, TemplateVariable>();
  for (const f of files) {
    if (f !== '-') walk(parseYaml(readText(f), f, f).tree, out);
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}
