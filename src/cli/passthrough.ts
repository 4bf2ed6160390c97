// `cmp` is also diffutils' byte-by-byte file comparer on every Debian. When a call is not meant for us
// (its first argument is neither one of our commands nor one of our options), run the system one unchanged,
// so scripts that say `cmp a.bin b.bin` keep working after cmp is installed globally.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { COMMAND_NAMES, GLOBAL_OPTION_NAMES } from './command-names.js';

export const SYSTEM_CMP_CANDIDATES = ['/usr/bin/cmp', '/bin/cmp'];

export function isCmpCall(args: readonly string[]): boolean {
  const first = args[0];
  if (first === undefined) return true; // bare `cmp` prints our help
  if (COMMAND_NAMES.has(first)) return true;
  const flag = first.split('=')[0] as string;
  return GLOBAL_OPTION_NAMES.has(flag);
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
