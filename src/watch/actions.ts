// Carries out one service's batch: rebuild (build where the runtime can, then recreate), or copy files
// into its running containers, then restart, then the exec hooks.
import { buildForUp, builderOf } from '../engine/build.js';
import { restart, up } from '../engine/index.js';
import { imageRef } from '../plan/service-facts.js';
import { LABEL, type ContainerState } from '../runtime/types.js';
import { RuntimeError } from '../util/errors.js';
import type { WatchContext } from './context.js';
import type { BatchPlan } from './plan.js';

export async function runningContainers(ctx: WatchContext, service: string): Promise<ContainerState[]> {
  const all = await ctx.runtime.listContainers(ctx.project.name, { all: false });
  return all.filter(
    (c) => c.labels[LABEL.service] === service && c.labels[LABEL.oneoff] !== 'True' && c.status === 'running',
  );
}

/** Notes said once per watcher (e.g. that the embedded runtime cannot build). */
export type Once = (key: string, line: string) => void;

export function onceLogger(log: (line: string) => void): Once {
  const said = new Set<string>();
  return (key, line) => {
    if (said.has(key)) return;
    said.add(key);
    log(line);
  };
}

async function rebuild(ctx: WatchContext, service: string, once: Once): Promise<void> {
  const { runtime, project } = ctx;
  const sink = ctx.sink;
  await ctx.locked(async () => {
    await runtime.prepare?.(project);
    const { ref } = imageRef(project, service);
    const before = ctx.prune ? (await runtime.inspectImage(ref))?.id : undefined;
    if (builderOf(runtime)) {
      await buildForUp(
        runtime,
        project,
        { services: [service], noDeps: true, build: true, noBuild: false },
        sink,
      );
    } else {
      once(
        `nobuild:${service}`,
        `the ${runtime.kind} runtime cannot build images: service ${service} is recreated with its current image`,
      );
    }
    await up(runtime, project, { services: [service], noDeps: true, forceRecreate: true }, sink);
    const after = before ? (await runtime.inspectImage(ref))?.id : undefined;
    // The replaced image is dangling now; removal fails harmlessly if something still uses it.
    if (before && after && before !== after) await runtime.removeImage(before).catch(() => undefined);
  });
}

export async function applyPlan(ctx: WatchContext, plan: BatchPlan, once: Once): Promise<void> {
  if (plan.rebuild) {
    await rebuild(ctx, plan.service, once);
    return;
  }
  if (plan.copies.length + plan.deletions.length > 0) {
    const copyTo = ctx.runtime.copyTo?.bind(ctx.runtime);
    if (!copyTo) throw new RuntimeError(`the ${ctx.runtime.kind} runtime cannot copy files into containers`);
    const containers = await runningContainers(ctx, plan.service);
    if (containers.length === 0)
      once(`idle:${plan.service}`, `service ${plan.service} has no running container to sync`);
    for (const c of containers) await copyTo(c.id, plan.copies, plan.deletions);
  }
  if (plan.restart) {
    await ctx.locked(async () => {
      await ctx.runtime.prepare?.(ctx.project);
      await restart(ctx.runtime, ctx.project, { services: [plan.service] }, ctx.sink);
    });
  }
  for (const hook of plan.execs) {
    for (const c of await runningContainers(ctx, plan.service)) {
      const code = await ctx.runtime.exec(c.id, {
        command: hook.command,
        tty: false,
        interactive: false,
        ...(hook.user ? { user: hook.user } : {}),
        ...(hook.working_dir ? { workingDir: hook.working_dir } : {}),
        ...(hook.environment ? { env: hook.environment } : {}),
        ...(hook.privileged ? { privileged: true } : {}),
      });
      if (code !== 0) ctx.log(`exec hook ${hook.command.join(' ')} in ${c.name} exited with ${code}`);
    }
  }
}
