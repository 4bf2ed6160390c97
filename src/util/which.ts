// Where an executable lives, found on PATH (then in the usual system dirs, which a sudo or cron PATH can
// lack) without starting it. Remembered per process: the answer does not change while cmp runs.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const found = new Map<string, string | undefined>();

/** The executable's path, or undefined when there is none; a name with a `/` is taken as it is. */
export function findExecutable(cmd: string): string | undefined {
  if (cmd.includes('/')) return cmd;
  if (found.has(cmd)) return found.get(cmd);
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  let path: string | undefined;
  for (const dir of dirs) {
    try {
      accessSync(join(dir, cmd), constants.X_OK);
      path = join(dir, cmd);
      break;
    } catch {
      // keep looking
    }
  }
  found.set(cmd, path);
  return path;
}
