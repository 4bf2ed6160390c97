// Variable substitution in one string, as compose does it: $VAR, ${VAR}, the six ${VAR<op>arg}
// forms, nesting inside the argument, and $$ for a literal dollar. The argument is only expanded
// when it is used, so `${SET:-${UNSET}}` does not warn about UNSET.

export type Lookup = (name: string) => string | undefined;

export interface TemplateHooks {
  /** Called for $VAR / ${VAR} when VAR is unset. */
  onUnset?: (name: string) => void;
  /** Longest result allowed: `$A$A$A...` over a large value must not grow without bound. */
  maxLength?: number;
}

/** Deepest `${A:-${B:-...}}` nesting; real files use two or three levels. */
export const MAX_TEMPLATE_NESTING = 20;

export class TemplateError extends Error {}
/** The result passed `maxLength`. */
export class TooLongError extends TemplateError {
  constructor(readonly max: number) {
    super(`value is longer than ${max} characters after interpolation`);
  }
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export function substitute(text: string, lookup: Lookup, hooks: TemplateHooks = {}, depth = 0): string {
  if (!text.includes('$')) return text;
  if (depth > MAX_TEMPLATE_NESTING)
    throw new TemplateError(`variables nested more than ${MAX_TEMPLATE_NESTING} deep`);
  const max = hooks.maxLength ?? Infinity;
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (out.length > max) throw new TooLongError(max);
    const ch = text[i] as string;
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) throw new TemplateError(`Invalid template: "${text}"`);
      out += braced(text.slice(i + 2, end), text, lookup, hooks, depth);
      i = end + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j] as string)) j++;
      const name = text.slice(i + 1, j);
      const v = lookup(name);
      if (v === undefined) hooks.onUnset?.(name);
      out += v ?? '';
      i = j;
    } else {
      // A lone `$` (end of string, `$1`, `$ `) is kept as written, like compose.
      out += '$';
      i++;
    }
  }
  if (out.length > max) throw new TooLongError(max);
  return out;
}

/** Index of the `}` closing a `${` whose body starts at `from`, counting nested `${...}`. */
export function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') {
      i++;
    } else if (c === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function braced(body: string, whole: string, lookup: Lookup, hooks: TemplateHooks, depth: number): string {
  let j = 0;
  if (j < body.length && NAME_START.test(body[j] as string)) {
    while (j < body.length && NAME_CHAR.test(body[j] as string)) j++;
  }
  const name = body.slice(0, j);
  if (name === '') throw new TemplateError(`Invalid template: "${whole}"`);
  const rest = body.slice(j);
  const value = lookup(name);
  if (rest === '') {
    if (value === undefined) hooks.onUnset?.(name);
    return value ?? '';
  }
  const op = /^(:-|:\?|:\+|-|\?|\+)/.exec(rest)?.[1];
  if (!op) throw new TemplateError(`Invalid template: "${whole}"`);
  const arg = (): string => substitute(rest.slice(op.length), lookup, hooks, depth + 1);
  const emptyCounts = op.startsWith(':');
  const present = value !== undefined && (!emptyCounts || value !== '');
  switch (op) {
    case ':-':
    case '-':
      return present ? (value as string) : arg();
    case ':+':
    case '+':
      return present ? arg() : '';
    default: {
      if (present) return value as string;
      const msg = arg();
      throw new RequiredVariableError(name, msg);
    }
  }
}

export class RequiredVariableError extends TemplateError {
  constructor(
    readonly variable: string,
    readonly detail: string,
  ) {
    super(`required variable ${variable} is missing a value${detail ? `: ${detail}` : ''}`);
  }
}
