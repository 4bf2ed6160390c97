// The Dockerfile front end in one call: parse, stage graph, prune to the target, and the images the
// needed stages name (what has to be handed to the executor before it runs).
import type { SourceLocation } from '../../model/types.js';
import { parseDockerfile } from './parse.js';
import { pruneTo, stageGraph, type Pruned, type StageGraph } from './stages.js';

export interface DockerfilePlan {
  graph: StageGraph;
  pruned: Pruned;
  /** External image references of the needed stages (FROM and --from), expanded, each once. */
  images: string[];
}

export interface PlanOptions {
  target?: string;
  targetLocation?: SourceLocation;
  buildArgs?: Readonly<Record<string, string>>;
  /** BUILDPLATFORM, TARGETARCH, …: visible to FROM without an ARG. */
  automaticArgs?: Readonly<Record<string, string>>;
  /** Names of additional build contexts (they win over images of the same name). */
  contexts?: ReadonlySet<string>;
}

export function planDockerfile(text: string, file: string, opts: PlanOptions = {}): DockerfilePlan {
  const graph = stageGraph(parseDockerfile(text, file), opts.buildArgs ?? {}, opts.automaticArgs ?? {});
  const pruned = pruneTo(graph, opts.target, opts.contexts, opts.targetLocation);
  const images = new Set<string>();
  for (const ref of [...pruned.bases.values(), ...[...pruned.reads.values()].flat()]) {
    if (ref.kind === 'image') images.add(ref.ref);
  }
  return { graph, pruned, images: [...images] };
}

export { renderDockerfile, HEREDOC_CONTEXT, type Rendered } from './render.js';
