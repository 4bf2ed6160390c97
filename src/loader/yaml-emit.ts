// A small YAML writer for the plain values `cmp config` prints. The yaml package's stringify was
// the slowest step for large projects; the model only holds maps, lists and scalars, so a direct
// writer is enough. Strings that could read back as anything else are written JSON-quoted, which
// is valid YAML.

const PLAIN = /^[A-Za-z_./~][A-Za-z0-9_./~@%+=,-]*(?:[ :][A-Za-z0-9_./~@%+=,()-]+)*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n|~)$/i;
// Plain scalars a YAML reader takes for numbers although they start with a dot: `.5`, `.inf`, `.NaN`.
const DOT_NUMBER = /^\.(?:inf|nan|[0-9][0-9_]*(?:e[-+]?[0-9]+)?)$/i;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  if (
    s !== '' &&
    PLAIN.test(s) &&
    !RESERVED.test(s) &&
    !DOT_NUMBER.test(s) &&
    !s.includes(': ') &&
    !s.endsWith(':')
  )
    return s;
  return JSON.stringify(s);
}

function key(k: string): string {
  return scalar(k);
}

function isEmpty(v: unknown): boolean {
  return (
    typeof v === 'object' && v !== null && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)
  );
}

function emit(v: unknown, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) {
      if (typeof item === 'object' && item !== null && !isEmpty(item)) {
        const sub: string[] = [];
        emit(item, `${indent}  `, sub);
        const first = (sub[0] as string).slice(indent.length + 2);
        out.push(`${indent}- ${first}`, ...sub.slice(1));
      } else out.push(`${indent}- ${inline(item)}`);
    }
    return;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x === 'object' && x !== null && !isEmpty(x)) {
      out.push(`${indent}${key(k)}:`);
      emit(x, Array.isArray(x) ? `${indent}  ` : `${indent}  `, out);
    } else out.push(`${indent}${key(k)}: ${inline(x)}`);
  }
}

function inline(v: unknown): string {
  if (Array.isArray(v)) return '[]';
  if (typeof v === 'object' && v !== null) return '{}';
  return scalar(v);
}

export function toYaml(v: Record<string, unknown>): string {
  const out: string[] = [];
  emit(v, '', out);
  return `${out.join('\n')}\n`;
}
