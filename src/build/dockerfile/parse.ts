// A Dockerfile as lines of instructions, each with the lines it came from, so that errors name the
// user's line and a rewrite can keep every line where it was (see render.ts). Only the syntax is checked
// here (directives, continuations, heredocs, known keywords); what an instruction means is checked when a
// stage that the target needs is rendered, so unused stages cannot break a build.
import { at, BuildError } from '../errors.js';

export const INSTRUCTIONS: ReadonlySet<string> = new Set([
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
]);

/** Instructions whose leading `--name[=value]` words are flags rather than arguments. */
const FLAGGED: ReadonlySet<string> = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);
const HEREDOC_KEYWORDS: ReadonlySet<string> = new Set(['RUN', 'COPY', 'ADD']);
const DIRECTIVES: ReadonlySet<string> = new Set(['syntax', 'escape', 'check']);

export interface Flag {
  name: string;
  /** Absent for a bare `--link`. */
  value?: string;
}

export interface Heredoc {
  name: string;
  /** `<<"EOF"` / `<<'EOF'`: the body is taken literally. */
  quoted: boolean;
  /** `<<-EOF`: leading tabs were stripped from the body and the terminator. */
  stripTabs: boolean;
  body: string;
}

export interface Instruction {
  keyword: string;
  /** 1-based first and last physical line (heredoc bodies included). */
  line: number;
  endLine: number;
  flags: Flag[];
  /** What follows the flags, continuations joined. */
  args: string;
  heredocs: Heredoc[];
}

export interface Dockerfile {
  file: string;
  lines: string[];
  escape: string;
  syntax?: { value: string; line: number };
  /** Lines holding parser directives other than `syntax`, kept as they are in a rewrite. */
  directiveLines: number[];
  instructions: Instruction[];
}

const HEREDOC_RE = /(?<!<)<<(?!<)(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;

export function parseDockerfile(text: string, file: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const df: Dockerfile = { file, lines, escape: '\\', directiveLines: [], instructions: [] };
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^\s*#\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*?)\s*$/.exec(lines[i] as string);
    const key = m?.[1]?.toLowerCase();
    if (!m || !key || !DIRECTIVES.has(key)) break;
    const value = m[2] as string;
    if (key === 'syntax') df.syntax = { value, line: i + 1 };
    else df.directiveLines.push(i + 1);
    if (key === 'escape') {
      if (value !== '\\' && value !== '`') {
        throw new BuildError(`invalid escape directive "${value}": use \\ or \``, {
          location: at(file, i + 1),
        });
      }
      df.escape = value;
    }
  }
  while (i < lines.length) {
    const trimmed = (lines[i] as string).trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const start = i;
    let logical = '';
    for (;;) {
      const raw = lines[i] as string;
      i++;
      const t = raw.trim();
      // Comment and blank lines inside a continuation are dropped, as Docker does.
      if (i - 1 > start && (t === '' || t.startsWith('#'))) {
        if (i >= lines.length) break;
        continue;
      }
      const end = raw.replace(/\s+$/, '');
      if (end.endsWith(df.escape)) {
        logical += end.slice(0, -1);
        if (i >= lines.length) break;
        continue;
      }
      logical += end;
      break;
    }
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(logical);
    const word = m?.[1] ?? '';
    const keyword = word.toUpperCase();
    if (!INSTRUCTIONS.has(keyword)) {
      throw new BuildError(`unknown instruction: ${word}`, { location: at(file, start + 1) });
    }
    let args = (m?.[2] ?? '').trim();
    const flags: Flag[] = [];
    if (FLAGGED.has(keyword)) {
      for (;;) {
        const f = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?:\s+|$)/.exec(args);
        if (!f) break;
        flags.push(f[2] === undefined ? { name: f[1] as string } : { name: f[1] as string, value: f[2] });
        args = args.slice(f[0].length);
      }
    }
    const heredocs: Heredoc[] = [];
    if (HEREDOC_KEYWORDS.has(keyword) && !args.startsWith('[')) {
      for (const h of args.matchAll(HEREDOC_RE)) {
        const stripTabs = h[1] === '-';
        const name = h[3] as string;
        const body: string[] = [];
        for (;;) {
          if (i >= lines.length) {
            throw new BuildError(`heredoc <<${name} is not terminated`, { location: at(file, start + 1) });
          }
          let l = lines[i] as string;
          i++;
          if (stripTabs) l = l.replace(/^\t+/, '');
          if (l === name) break;
          body.push(l);
        }
        heredocs.push({ name, quoted: h[2] !== '', stripTabs, body: body.map((l) => `${l}\n`).join('') });
      }
    }
    df.instructions.push({ keyword, line: start + 1, endLine: i, flags, args, heredocs });
  }
  return df;
}

/**
 * `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` as Dockerfile word expansion has them; the escape
 * character keeps a `$` literal. Unknown names expand to nothing.
 */
export function expand(word: string, vars: Readonly<Record<string, string>>, escape = '\\'): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i] as string;
    if (c === escape && word[i + 1] === '$') {
      out += '$';
      i++;
    } else if (c === '$') {
      const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}/.exec(word.slice(i + 1));
      const plain = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.slice(i + 1));
      if (braced) {
        const name = braced[1] as string;
        const value = vars[name];
        const op = braced[2];
        const alt = expand(braced[3] ?? '', vars, escape);
        if (op === ':-') out += value ? value : alt;
        else if (op === '-') out += value ?? alt;
        else if (op === ':+') out += value ? alt : '';
        else if (op === '+') out += value !== undefined ? alt : '';
        else out += value ?? '';
        i += braced[0].length;
      } else if (plain) {
        out += vars[plain[0]] ?? '';
        i += plain[0].length;
      } else out += c;
    } else out += c;
  }
  return out;
}

/** `a=1 b="two words"` (ARG, ENV, LABEL): names and values, quotes removed. */
export function keyValues(args: string): { key: string; value?: string }[] {
  const out: { key: string; value?: string }[] = [];
  const re = /\s*([^\s=]+)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g;
  for (const m of args.matchAll(re)) {
    const raw = m[2];
    if (raw === undefined) out.push({ key: m[1] as string });
    else out.push({ key: m[1] as string, value: unquote(raw) });
  }
  return out;
}

function unquote(v: string): string {
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1);
  return v;
}

/** The JSON form (`["a", "b"]`) of CMD, ENTRYPOINT, RUN, SHELL; undefined for the shell form. */
export function jsonForm(args: string): string[] | undefined {
  if (!args.trim().startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(args);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}
