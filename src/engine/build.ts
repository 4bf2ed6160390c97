// The builds a command asks for, run through the runtime's builder: `cmp build`'s services and what `up`
// needs. Each runtime has a `build` method outside the Runtime interface, found by shape. Services whose
// build sections are the same (context, Dockerfile, target, args, …) are built once and the image gets each
// service's name.
import type { BuildFlags } from '../build/request.js';
import type { BuildServiceOptions } from '../build/types.js';
import type { EventSink } from './events.js';
import { buildGraph } from '../graph/dependency-graph.js';
import { withDependencies } from '../graph/select.js';
import type { Project, Service } from '../model/types.js';
import { imageRef } from '../plan/service-facts.js';
import type { ImageInfo, Runtime } from '../runtime/types.js';
import { UsageError } from '../util/errors.js';

export interface Builder {
  build(service: Service, opts: BuildServiceOptions): Promise<ImageInfo>;
}

export function builderOf(runtime: Runtime): Builder | undefined {
  const b = (runtime as Partial<Builder>).build;
  return typeof b === 'function' ? (runtime as Runtime & Builder) : undefined;
}

/** Canonical JSON of a build section: equal keys, equal image. */
function buildKey(service: Service): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v;
  return JSON.stringify(sort(service.build));
}

/** Builds `names` (services with a build section), each distinct build once. */
export async function buildServices(
  runtime: Runtime,
  project: Project,
  names: string[],
  flags: BuildFlags,
  sink?: EventSink,
  signal?: AbortSignal,
): Promise<void> {
  const builder = builderOf(runtime);
  if (!builder) {
    throw new UsageError(`the ${runtime.kind} runtime cannot build images`);
  }
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const key = buildKey(project.services[name] as Service);
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  // One after another: two builds share buildah's store, and each clears the store's mounts when it ends.
  for (const group of groups.values()) {
    const [first, ...rest] = group as [string, ...string[]];
    await builder.build(project.services[first] as Service, {
      ...flags,
      project: project.name,
      serviceName: first,
      tag: imageRef(project, first).ref,
      extraTags: rest.map((n) => imageRef(project, n).ref),
      model: project,
      ...(sink ? { events: sink } : {}),
      ...(signal ? { signal } : {}),
    });
  }
}

/**
 * Builds what `up` needs: every `build:` service in scope with --build, and those with `pull_policy:
 * build`; only those whose image is missing without it (compose's default); nothing with --no-build.
 */
export async function buildForUp(
  runtime: Runtime,
  project: Project,
  opts: { services: string[]; noDeps: boolean; build: boolean; noBuild: boolean },
  sink?: EventSink,
  signal?: AbortSignal,
): Promise<void> {
  if (opts.noBuild) return;
  const graph = buildGraph(project);
  const scope = graph.order.filter((n) => withDependencies(graph, opts.services, opts.noDeps).has(n));
  const buildable = scope.filter((n) => project.services[n]?.build !== undefined);
  if (!builderOf(runtime)) {
    if (opts.build && buildable.length > 0) {
      throw new UsageError(`the ${runtime.kind} runtime cannot build images`);
    }
    return;
  }
  const todo: string[] = [];
  for (const name of buildable) {
    const always = opts.build || project.services[name]?.pull_policy === 'build';
    if (always || !(await runtime.inspectImage(imageRef(project, name).ref))) todo.push(name);
  }
  if (todo.length > 0) await buildServices(runtime, project, todo, {}, sink, signal);
}
