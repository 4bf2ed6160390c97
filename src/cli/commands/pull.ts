// `cmp pull`: fetches the services' images ahead of `up`.
import { buildGraph } from '../../graph/dependency-graph.js';
import { withDependencies } from '../../graph/select.js';
import type { Project, Service } from '../../model/types.js';
import { imageRef } from '../../plan/service-facts.js';
import type { PullPolicy, Runtime } from '../../runtime/types.js';
import { isCmpError, UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { checkServices, type CommandIO } from './common.js';
import { open, withSession } from './open.js';

export interface PullFlags {
  ignoreFailures: boolean;
  /** `--ignore-buildable`: leave out services that have a build section. */
  ignoreBuildable?: boolean;
  /** `--include-deps`: the named services' dependencies too. */
  includeDeps?: boolean;
  quiet: boolean;
  policy: 'always' | 'missing';
}

export function readPullFlags(o: Record<string, unknown>): PullFlags {
  const policy = o.policy ?? 'always';
  if (policy !== 'always' && policy !== 'missing')
    throw new UsageError(`--policy: expected missing or always, got "${String(policy)}"`);
  return {
    ignoreFailures: o.ignorePullFailures === true,
    ignoreBuildable: o.ignoreBuildable === true,
    includeDeps: o.includeDeps === true,
    quiet: o.quiet === true,
    policy,
  };
}

export async function pullCommand(
  runtime: Runtime,
  project: Project,
  flags: PullFlags,
  services: string[],
  io: CommandIO,
): Promise<number> {
  checkServices(project, services);
  const named = flags.includeDeps ? [...withDependencies(buildGraph(project), services)] : services;
  const names = named.length > 0 ? [...named].sort() : Object.keys(project.services).sort();
  const seen = new Set<string>();
  for (const name of names) {
    const service = project.services[name] as Service;
    const { ref, buildOnly } = imageRef(project, name);
    // Images that are built, or that the service says never to pull, are skipped as compose does.
    if (flags.ignoreBuildable && service.build) continue;
    if (buildOnly || service.pull_policy === 'build' || service.pull_policy === 'never' || seen.has(ref))
      continue;
    seen.add(ref);
    const policy: PullPolicy = flags.policy;
    try {
      await runtime.ensureImage(ref, policy, flags.quiet ? undefined : io.sink, io.signal);
    } catch (e) {
      if (!flags.ignoreFailures || !isCmpError(e)) throw e;
      io.err(`Warning: ${name}: ${e.format()}\n`);
    }
  }
  return 0;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags = readPullFlags(o);
  const { project, runtime } = await open(g, args);
  return withSession(g, (io) => pullCommand(runtime, project, flags, args, io));
}
