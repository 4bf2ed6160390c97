// `cmp` is also diffutils' byte-by-byte file comparer on every Debian. A call is handed to the system one,
// unchanged, only when it looks like a file comparison (see routeCall), so scripts that say
// `cmp a.bin b.bin` keep working after cmp is installed, while a mistyped `cmp lgos` gets our own
// "unknown command" instead of diffutils' "No such file or directory".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { COMMAND_NAMES, GLOBAL_OPTION_NAMES, closestCommand, isComposeOnlyCommand } from './command-names.js';

export const SYSTEM_CMP_CANDIDATES = ['/usr/bin/cmp', '/bin/cmp'];

/** diffutils cmp's own options (cmp --help of diffutils 3.x); `-i SKIP` and `-n LIMIT` may be glued on. */
const DIFFUTILS_LONG = new Set(['--print-bytes', '--ignore-initial', '--bytes', '--quiet', '--silent']);

function isDiffutilsOption(arg: string): boolean {
  if (arg.startsWith('--')) return DIFFUTILS_LONG.has(arg.split('=')[0] as string);
  return /^-[bilsv]+$/.test(arg) || /^-[bls]*[in].*$/.test(arg);
}

/**
 * Whose call this is. diffutils' when a diffutils option comes first, or the first operand is a file
 * (or `-`, stdin), or there are two operands and the first is no near miss of one of our commands;
 * ours otherwise, so that a typo or a compose command cmp lacks is answered as a compose tool would.
 */
export function routeCall(
  args: readonly string[],
  exists: (path: string) => boolean = existsSync,
): 'cmp' | 'diffutils' {
  const first = args[0];
  if (first === undefined) return 'cmp'; // bare `cmp` prints our help
  if (COMMAND_NAMES.has(first)) return 'cmp';
  if (first.startsWith('-') && first !== '-') {
    if (GLOBAL_OPTION_NAMES.has(first.split('=')[0] as string)) return 'cmp';
    return isDiffutilsOption(first) ? 'diffutils' : 'cmp';
  }
  if (first === '-' || exists(first)) return 'diffutils';
  if (isComposeOnlyCommand(first)) return 'cmp';
  if (args.length >= 2 && closestCommand(first) === undefined) return 'diffutils';
  return 'cmp';
}

export function isCmpCall(args: readonly string[]): boolean {
  return routeCall(args) === 'cmp';
}

export function handOverToSystemCmp(args: readonly string[]): never {
  const target = process.env.CMP_SYSTEM_CMP ?? SYSTEM_CMP_CANDIDATES.find((p) => existsSync(p));
  if (!target) {
    process.stderr.write(
      `cmp: '${args[0]}' is not a cmp command, and no system cmp (diffutils) was found to hand it to. See 'cmp --help'.\n`,
    );
    process.exit(2);
  }
  const res = spawnSync(target, args, { stdio: 'inherit' });
  if (res.error) {
    process.stderr.write(`cmp: could not run ${target}: ${res.error.message}\n`);
    process.exit(2);
  }
  process.exit(res.status ?? 2);
}
