// What one batch of changes means for one service: pure, so the action choice is tested without files.
// Order as compose: a rebuild makes everything else moot; otherwise copy, then restart, then exec hooks.
import type { WatchRule } from '../model/types.js';
import type { FileChange } from './batcher.js';
import { containerPathFor } from './mapping.js';
import { isSyncAction, type ServiceRules } from './rules.js';

export interface CopyItem {
  hostPath: string;
  containerPath: string;
}

export interface BatchPlan {
  service: string;
  /** Changes this service reacts to. */
  changes: number;
  rebuild: boolean;
  copies: CopyItem[];
  deletions: string[];
  restart: boolean;
  execs: NonNullable<WatchRule['exec']>[];
}

export function planBatch(entry: ServiceRules, batch: readonly FileChange[]): BatchPlan | undefined {
  const plan: BatchPlan = {
    service: entry.service,
    changes: 0,
    rebuild: false,
    copies: [],
    deletions: [],
    restart: false,
    execs: [],
  };
  const copies = new Map<string, CopyItem>();
  const deletions = new Set<string>();
  for (const change of batch) {
    let hit = false;
    for (const { rule, accepts } of entry.rules) {
      if (!accepts(change.path)) continue;
      hit = true;
      if (rule.action === 'rebuild') plan.rebuild = true;
      if (rule.action === 'restart' || rule.action === 'sync+restart') plan.restart = true;
      if (rule.action === 'sync+exec' && rule.exec && !plan.execs.includes(rule.exec))
        plan.execs.push(rule.exec);
      if (!isSyncAction(rule.action)) continue;
      const containerPath = containerPathFor(rule, change.path);
      if (containerPath === undefined) continue;
      if (change.kind === 'delete') {
        deletions.add(containerPath);
        copies.delete(containerPath);
      } else {
        copies.set(containerPath, { hostPath: change.path, containerPath });
        deletions.delete(containerPath);
      }
    }
    if (hit) plan.changes += 1;
  }
  if (plan.changes === 0) return undefined;
  if (plan.rebuild) return { ...plan, restart: false, execs: [] };
  plan.copies = [...copies.values()].sort((a, b) => a.containerPath.localeCompare(b.containerPath));
  plan.deletions = [...deletions].sort();
  return plan;
}

export function batchLine(plan: BatchPlan): string {
  const n = plan.changes;
  const what = `${n} change${n === 1 ? ' was' : 's were'} detected`;
  if (plan.rebuild) return `Rebuilding service ${plan.service} after ${what}`;
  if (plan.copies.length + plan.deletions.length > 0) return `Syncing service ${plan.service} after ${what}`;
  return `Restarting service ${plan.service} after ${what}`;
}
