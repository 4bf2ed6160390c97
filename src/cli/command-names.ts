// The names that make a call ours (see passthrough.ts). Kept apart from program.ts so the check
// needs no import of commander. A test checks this list against the commands program.ts defines.
import { REFUSED_COMMANDS } from './compose-parity.js';

export const COMMAND_NAMES: ReadonlySet<string> = new Set([
  'up',
  'down',
  'ps',
  'logs',
  'config',
  'start',
  'stop',
  'restart',
  'kill',
  'rm',
  'pause',
  'unpause',
  'exec',
  'run',
  'pull',
  'build',
  'builder',
  'commit',
  'images',
  'top',
  'port',
  'events',
  'wait',
  'ls',
  'watch',
  'version',
  'create',
  'image',
  'network',
  'volume',
  'system',
  'graph',
  'lint',
  'deploy',
  'undeploy',
  'convert',
  'attach',
  'cp',
  'export',
  'stats',
  'scale',
  'volumes',
  'push',
  'system',
  'help',
]);

/** docker compose commands cmp does not have: answered with a clear "not in cmp", never handed to diffutils. */
export const COMPOSE_ONLY_COMMANDS: ReadonlySet<string> = new Set(Object.keys(REFUSED_COMMANDS));

export function isComposeOnlyCommand(name: string): boolean {
  return COMPOSE_ONLY_COMMANDS.has(name);
}

/** Edit distance with adjacent transpositions, so that `lgos` is one step from `logs`. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The command a mistyped name most likely meant: at most two edits away and sharing more than 40 % of its
 * letters' positions (short words like `a` or `x` match nothing), the nearest first.
 */
export function closestCommand(word: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of COMMAND_NAMES) {
    const distance = editDistance(word, name);
    const length = Math.max(word.length, name.length);
    if (distance > 2 || (length - distance) / length <= 0.4) continue;
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best?.name;
}

export const GLOBAL_OPTION_NAMES: ReadonlySet<string> = new Set([
  '-f',
  '--file',
  '-p',
  '--project-name',
  '--profile',
  '--env-file',
  '--project-directory',
  '--runtime',
  '--progress',
  '--verbose',
  '--dry-run',
  '-h',
  '--help',
  '--version',
  '--ansi',
  '--no-ansi',
  '--parallel',
  '--all-resources',
  '--compatibility',
]);
