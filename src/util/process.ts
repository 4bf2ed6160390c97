import { readFileSync } from 'node:fs';

/**
 * Whether a process still runs. A zombie counts as dead: a killed detached process may wait a while for
 * an init that is slow to reap it, and its pid file must not keep a lock held meanwhile.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
