// Options as docker compose's command line takes them: its global options are persistent flags, given
// before or after the command (`cmp up -d --dry-run`, `cmp ps --ansi never`), and the flags cmp refuses
// are known by name, so they fail with a reason instead of "unknown option".
import { Option, type Command } from 'commander';
import { UsageError } from '../util/errors.js';
import { REFUSED_FLAGS, REFUSED_GLOBALS, type Refusal } from './compose-parity.js';
import { collect } from './globals.js';

interface GlobalFlag {
  short?: string;
  long: string;
  value?: string;
  repeatable?: boolean;
  choices?: string[];
}

/** The global options a command also takes after its name (hidden from its help: `cmp --help` lists them). */
export const GLOBALS_AFTER_COMMAND: readonly GlobalFlag[] = [
  { short: '-f', long: '--file', value: '<file>', repeatable: true },
  { short: '-p', long: '--project-name', value: '<name>' },
  { long: '--profile', value: '<profile>', repeatable: true },
  { long: '--env-file', value: '<file>', repeatable: true },
  { long: '--project-directory', value: '<dir>' },
  { long: '--runtime', value: '<name>', choices: ['embedded', 'docker'] },
  { long: '--progress', value: '<mode>', choices: ['auto', 'tty', 'plain', 'json', 'quiet'] },
  { long: '--ansi', value: '<when>', choices: ['never', 'always', 'auto'] },
  { long: '--no-ansi' },
  { long: '--verbose' },
  { long: '--dry-run' },
  { long: '--all-resources' },
];

/** The attribute names commander gives these options (what `opts()` holds). */
export const GLOBAL_ATTRIBUTES = [
  'file',
  'projectName',
  'profile',
  'envFile',
  'projectDirectory',
  'runtime',
  'progress',
  'ansi',
  'verbose',
  'dryRun',
  'allResources',
] as const;

function hasLong(cmd: Command, long: string): boolean {
  return cmd.options.some((o) => o.long === long);
}

function hasShort(cmd: Command, short: string): boolean {
  return cmd.options.some((o) => o.short === short);
}

/** A command's own flag wins over a global of the same name (`logs -f` follows), as in compose. */
export function acceptGlobalsAfter(cmd: Command): void {
  for (const g of GLOBALS_AFTER_COMMAND) {
    if (hasLong(cmd, g.long)) continue;
    const names = g.short && !hasShort(cmd, g.short) ? `${g.short}, ${g.long}` : g.long;
    const opt = new Option(g.value ? `${names} ${g.value}` : names).hideHelp();
    if (g.choices) opt.choices(g.choices);
    if (g.repeatable) opt.argParser(collect);
    cmd.addOption(opt);
  }
}

export function refusedFlagError(flag: string, r: Refusal): UsageError {
  return new UsageError(`${flag} is not supported by cmp: ${r.reason}`, { hint: r.instead });
}

function refuse(cmd: Command, long: string, r: Refusal): void {
  if (hasLong(cmd, long)) return;
  const short = r.short && !hasShort(cmd, r.short) ? `${r.short}, ` : '';
  // An optional value catches every form (`--sig-proxy`, `--sig-proxy=false`, `--builder x`).
  const opt = new Option(`${short}${long} [value]`).hideHelp();
  cmd.addOption(opt);
  cmd.on(`option:${opt.name()}`, () => {
    throw refusedFlagError(long, r);
  });
}

/** Hidden options for compose's flags of `name` (and its global ones) that cmp refuses. */
export function refuseComposeFlags(cmd: Command, name: string | undefined): void {
  for (const [long, r] of Object.entries(name ? (REFUSED_FLAGS[name] ?? {}) : {})) refuse(cmd, long, r);
  for (const [long, r] of Object.entries(REFUSED_GLOBALS)) refuse(cmd, long, r);
}

/** The program's global options with the command's own given ones over them (lists add up). */
export function mergeGlobals(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...before };
  for (const key of GLOBAL_ATTRIBUTES) {
    const v = after[key];
    if (v === undefined) continue;
    const prev = out[key];
    out[key] = Array.isArray(v) && Array.isArray(prev) ? [...(prev as unknown[]), ...(v as unknown[])] : v;
  }
  return out;
}

function findOption(cmd: Command, token: string): Option | undefined {
  return cmd.options.find((o) => o.long === token || o.short === token);
}

/**
 * compose's flags are cobra's, where every boolean flag also takes `=true` or `=false` (scripts write
 * `run --no-TTY=false`, `up --build=true`); commander knows only the bare form. Rewrites those tokens of
 * the options before the command's first argument: `--x=true` is `--x`; `--x=false` is nothing, or for
 * `--no-y=false` the command's `--y` where it has one (`run --no-TTY=false` is `run --tty`).
 */
export function boolFlagValues(program: Command, args: readonly string[]): string[] {
  const out: string[] = [];
  let cmd: Command = program;
  let i = 0;
  for (; i < args.length; i++) {
    const tok = args[i] as string;
    if (tok === '--') break;
    if (!tok.startsWith('-') || tok === '-') {
      const sub =
        cmd === program
          ? program.commands.find((c) => c.name() === tok || c.aliases().includes(tok))
          : undefined;
      if (!sub) break;
      cmd = sub;
      out.push(tok);
      continue;
    }
    const m = /^(--[^=]+)=(true|false)$/i.exec(tok);
    const opt = findOption(cmd, m ? (m[1] as string) : (tok.split('=')[0] as string));
    if (m && opt && !opt.required && !opt.optional) {
      if ((m[2] as string).toLowerCase() === 'true') out.push(m[1] as string);
      else {
        const positive = (m[1] as string).startsWith('--no-') ? `--${(m[1] as string).slice(5)}` : undefined;
        const counterpart = positive
          ? cmd.options.find((o) => o.long?.toLowerCase() === positive.toLowerCase() && !o.negate)
          : undefined;
        if (counterpart?.long) out.push(counterpart.long);
      }
      continue;
    }
    out.push(tok);
    // An option that takes its value as the next token: that token is no argument.
    if (opt && opt.required && !tok.includes('=') && i + 1 < args.length) out.push(args[++i] as string);
  }
  return [...out, ...args.slice(i)];
}
