// `up --build`: only the docker runtime can build for now; it has a `build` method outside the Runtime
// interface, so it is found by shape rather than by driver name.
import type { EventSink } from '../../engine/events.js';
import { buildGraph } from '../../graph/dependency-graph.js';
import { withDependencies } from '../../graph/select.js';
import type { Project, Service } from '../../model/types.js';
import { imageRef } from '../../plan/service-facts.js';
import type { ImageInfo, Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';

export interface Builder {
  build(
    service: Service,
    opts: { project: string; serviceName: string; tag?: string; events?: EventSink; signal?: AbortSignal },
  ): Promise<ImageInfo>;
}

export function builderOf(runtime: Runtime): Builder | undefined {
  const b = (runtime as Partial<Builder>).build;
  return typeof b === 'function' ? (runtime as Runtime & Builder) : undefined;
}

/**
 * Builds what `up` needs: every `build:` service in scope with --build, only those whose image is missing
 * without it (compose's default), nothing with --no-build.
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
  const builder = builderOf(runtime);
  if (!builder) {
    if (opts.build && buildable.length > 0) {
      throw new UsageError(
        `--build is only supported with --runtime docker for now (runtime: ${runtime.kind})`,
        {
          hint: 'build the image elsewhere and `cmp image load` it, or run with --runtime docker',
        },
      );
    }
    return;
  }
  for (const name of buildable) {
    const service = project.services[name] as Service;
    const { ref } = imageRef(project, name);
    if (!opts.build && (await runtime.inspectImage(ref))) continue;
    await builder.build(service, {
      project: project.name,
      serviceName: name,
      tag: ref,
      ...(sink ? { events: sink } : {}),
      ...(signal ? { signal } : {}),
    });
  }
}
