// `cmp build`: its flags and which services it builds; the builds themselves are the engine's
// (engine/build.ts).
import type { BuildFlags } from '../../build/request.js';
import { buildServices } from '../../engine/build.js';
import { buildGraph } from '../../graph/dependency-graph.js';
import { withDependencies } from '../../graph/select.js';
import type { Project } from '../../model/types.js';
import type { Runtime } from '../../runtime/types.js';
import type { GlobalOptions } from '../globals.js';
import { checkServices, type CommandIO } from './common.js';
import { open, withSession } from './open.js';

export interface BuildCommandFlags extends BuildFlags {
  quiet: boolean;
  withDependencies: boolean;
}

export function readBuildFlags(o: Record<string, unknown>, env: NodeJS.ProcessEnv): BuildCommandFlags {
  const buildArgs: Record<string, string> = {};
  for (const a of (o.buildArg as string[] | undefined) ?? []) {
    const eq = a.indexOf('=');
    // `--build-arg NAME` takes NAME from the environment, as docker compose does.
    if (eq < 0) {
      const v = env[a];
      if (v !== undefined) buildArgs[a] = v;
    } else buildArgs[a.slice(0, eq)] = a.slice(eq + 1);
  }
  return {
    noCache: o.cache === false,
    pull: o.pull === true,
    buildArgs,
    quiet: o.quiet === true,
    withDependencies: o.withDependencies === true,
  };
}

export async function buildCommand(
  runtime: Runtime,
  project: Project,
  flags: BuildCommandFlags,
  services: string[],
  io: CommandIO,
): Promise<number> {
  checkServices(project, services);
  let names = services.length > 0 ? services : Object.keys(project.services);
  if (flags.withDependencies && services.length > 0) {
    const graph = buildGraph(project);
    const scope = withDependencies(graph, services, false);
    names = graph.order.filter((n) => scope.has(n));
  }
  const buildable = names.filter((n) => project.services[n]?.build !== undefined).sort();
  if (buildable.length === 0) return 0;
  await buildServices(runtime, project, buildable, flags, flags.quiet ? undefined : io.sink, io.signal);
  return 0;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const flags = readBuildFlags(o, process.env);
  const { project, runtime } = await open(g, args);
  return withSession(g, (io) => buildCommand(runtime, project, flags, args, io));
}
