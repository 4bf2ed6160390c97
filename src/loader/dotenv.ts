// The env-file syntax shared by `.env`, `--env-file` and a service's `env_file`: VAR=VAL lines,
// `#` comments, an optional `export `, single quotes literal, double quotes with escapes, unquoted and
// double-quoted values interpolated (`lookup` first, then earlier lines of the same file, as compose-go).
import type { SourceLocation } from '../model/types.js';
import { LoadError } from '../util/errors.js';
import { substitute, TemplateError, type Lookup } from './template.js';

export interface EnvEntry {
  key: string;
  /** undefined: the line named a variable without `=`. */
  value: string | undefined;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * `A=$A$A` doubles a value per line: one value may reach 1 Mi characters and all values of a file
 * 4 Mi, so a few lines cannot grow into gigabytes.
 */
export const MAX_ENV_VALUE = 1024 * 1024;
export const MAX_ENV_FILE_VALUES = 4 * MAX_ENV_VALUE;

export function parseEnvFile(text: string, display: string, lookup: Lookup, raw = false): EnvEntry[] {
  const out: EnvEntry[] = [];
  const seen = new Map<string, string>();
  // The caller's lookup (the shell) before the file's own earlier lines, as compose-go's dotenv.
  const inner: Lookup = (n) => lookup(n) ?? seen.get(n);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let total = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const where = (): SourceLocation => ({ file: display, line: lineNo, col: 1 });
    let line = (lines[i] as string).trimStart();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const eq = line.indexOf('=');
    if (eq < 0) {
      const key = line.replace(/\s+#.*$/, '').trim();
      if (!KEY.test(key)) throw new LoadError(`invalid variable name "${key}"`, { location: where() });
      out.push({ key, value: undefined });
      continue;
    }
    const key = line.slice(0, eq).trim();
    if (!KEY.test(key)) throw new LoadError(`invalid variable name "${key}"`, { location: where() });
    let rest = line.slice(eq + 1);
    let value: string;
    if (raw) {
      value = rest;
    } else if (rest.startsWith("'") || rest.startsWith('"')) {
      const q = rest[0] as string;
      // A quoted value may run over several lines.
      let body = rest.slice(1);
      let close = findClose(body, q);
      while (close < 0 && i + 1 < lines.length) {
        i++;
        body += `\n${lines[i] as string}`;
        close = findClose(body, q);
      }
      if (close < 0) throw new LoadError(`unterminated quoted value for ${key}`, { location: where() });
      rest = body.slice(0, close);
      value = q === "'" ? rest.replace(/\\'/g, "'") : unescapeDouble(rest);
      if (q === '"') value = expand(value, inner, where);
    } else {
      const hash = rest.search(/\s#/);
      value = (hash >= 0 ? rest.slice(0, hash) : rest).trim();
      value = expand(value, inner, where);
    }
    total += value.length;
    if (total > MAX_ENV_FILE_VALUES) {
      throw new LoadError(`values of this env file add up to more than ${MAX_ENV_FILE_VALUES} characters`, {
        location: where(),
      });
    }
    seen.set(key, value);
    out.push({ key, value });
  }
  return out;
}

function findClose(body: string, q: string): number {
  for (let j = 0; j < body.length; j++) {
    if (body[j] === '\\') j++;
    else if (body[j] === q) return j;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([nrt"\\$])/g, (_m, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === '$' ? '$$' : c,
  );
}

function expand(v: string, lookup: Lookup, where: () => SourceLocation): string {
  try {
    return substitute(v, lookup, { maxLength: MAX_ENV_VALUE });
  } catch (e) {
    if (e instanceof TemplateError) throw new LoadError(e.message, { location: where() });
    throw e;
  }
}
