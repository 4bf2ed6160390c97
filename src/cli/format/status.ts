// The STATUS column of `ps`: docker's wording, plus the restart count when a supervisor restarted the
// container (docker hides it; cmp shows it because restart loops are what users ask `ps` about).
import type { ContainerState } from '../../runtime/types.js';
import { ago, humanDuration } from './human-time.js';

export function statusText(c: ContainerState, now: number): string {
  const restarts = c.restartCount > 0 ? `restarts: ${c.restartCount}` : '';
  const notes = (...parts: string[]): string => {
    const list = parts.filter((p) => p !== '');
    return list.length ? ` (${list.join(', ')})` : '';
  };
  switch (c.status) {
    case 'running':
      return `Up ${humanDuration(now - (c.startedAt ?? c.createdAt))}${notes(c.health ?? '', restarts)}`;
    case 'paused':
      return `Up ${humanDuration(now - (c.startedAt ?? c.createdAt))} (Paused)`;
    case 'restarting':
      return `Restarting (${c.exitCode ?? 0}) ${ago(c.finishedAt ?? now, now)}${notes(restarts)}`;
    case 'exited':
      if (c.startedAt === undefined && c.finishedAt === undefined) return 'Created';
      return `Exited (${c.exitCode ?? 0}) ${ago(c.finishedAt ?? now, now)}${notes(restarts)}`;
    case 'created':
      return 'Created';
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
  }
}
