// Watches the rules' paths with chokidar, batches events through the quiet period, and runs each batch
// after the previous one finished, so a slow rebuild never overlaps the next sync.
import { watch, type FSWatcher } from 'chokidar';
import { sep } from 'node:path';
import { isCmpError } from '../util/errors.js';
import { applyPlan, onceLogger, type Once } from './actions.js';
import { Batcher, QUIET_PERIOD_MS, type FileChange } from './batcher.js';
import type { WatchContext } from './context.js';
import { walkAccepted } from './initial-sync.js';
import { batchLine, planBatch } from './plan.js';
import { isSyncAction, type ServiceRules } from './rules.js';

export interface WatchHandle {
  /** Stops watching; a batch already running is finished first. */
  close(): Promise<void>;
}

const LARGE_BATCH = 1000;

function describe(e: unknown): string {
  if (isCmpError(e)) return e.format();
  return e instanceof Error ? e.message : String(e);
}

async function runBatch(
  ctx: WatchContext,
  entries: ServiceRules[],
  batch: FileChange[],
  once: Once,
): Promise<void> {
  if (batch.length > LARGE_BATCH) ctx.log(`warning: ${batch.length} files changed at once`);
  for (const entry of entries) {
    const plan = planBatch(entry, batch);
    if (!plan) continue;
    ctx.log(batchLine(plan));
    try {
      await applyPlan(ctx, plan, once);
    } catch (e) {
      // One failed batch must not end the watch: the next save may well fix it.
      ctx.log(`error: service ${plan.service}: ${describe(e)}`);
    }
  }
}

async function initialSync(ctx: WatchContext, entries: ServiceRules[], once: Once): Promise<void> {
  for (const entry of entries) {
    const wanted = entry.rules.filter((r) => r.rule.initial_sync === true && isSyncAction(r.rule.action));
    if (wanted.length === 0) continue;
    const changes: FileChange[] = [];
    for (const r of wanted) changes.push(...(await walkAccepted(r.rule.path, r.accepts)));
    // Only the copy: restarts and hooks answer changes, and nothing changed yet.
    const plan = planBatch({ service: entry.service, rules: wanted }, changes);
    if (!plan || plan.copies.length === 0) continue;
    ctx.log(`Initial sync of service ${entry.service}: ${plan.copies.length} paths`);
    try {
      await applyPlan(ctx, { ...plan, restart: false, execs: [] }, once);
    } catch (e) {
      ctx.log(`error: service ${entry.service}: ${describe(e)}`);
    }
  }
}

export async function startWatch(
  ctx: WatchContext,
  entries: ServiceRules[],
  opts: { quietMs?: number } = {},
): Promise<WatchHandle> {
  const once = onceLogger(ctx.log);
  await initialSync(ctx, entries, once);
  let chain: Promise<void> = Promise.resolve();
  const batcher = new Batcher((batch) => {
    chain = chain.then(() => runBatch(ctx, entries, batch, once));
  }, opts.quietMs ?? QUIET_PERIOD_MS);
  const paths = [...new Set(entries.flatMap((e) => e.rules.map((r) => r.rule.path)))];
  const watcher: FSWatcher = watch(paths, {
    ignoreInitial: true,
    ignored: (p: string) => p.split(sep).includes('.git'),
  });
  const change = (path: string): void => batcher.add({ path, kind: 'change' });
  const remove = (path: string): void => batcher.add({ path, kind: 'delete' });
  watcher
    .on('add', change)
    .on('change', change)
    .on('addDir', change)
    .on('unlink', remove)
    .on('unlinkDir', remove)
    .on('error', (e) => ctx.log(`watch error: ${describe(e)}`));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    close: async () => {
      batcher.cancel();
      await watcher.close();
      await chain;
    },
  };
}
