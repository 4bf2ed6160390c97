// The Dockerfile front end in one call: parse, stage graph, prune to the target, and the images the
// needed stages name (what has to be handed to the executor before it runs).
import type { SourceLocation } from '../../model/types.js';
import { parseDockerfile } from './parse.js';
import { pruneTo, stageGraph, type Pruned, type SourceRef, type Stage, type StageGraph } from './stages.js';

export interface DockerfilePlan {
  graph: StageGraph;
  pruned: Pruned;
  /** External image references of the needed stages (FROM and --from), expanded, each once. */
  images: string[];
  /** The first line that names each of `images`. */
  imageLines: Map<string, number>;
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
  const imageLines = new Map<string, number>();
  const note = (ref: SourceRef, line: number): void => {
    if (ref.kind === 'image' && (imageLines.get(ref.ref) ?? Infinity) > line) imageLines.set(ref.ref, line);
  };
  for (const [i, ref] of pruned.bases) note(ref, (graph.stages[i] as Stage).from.line);
  for (const [ins, refs] of pruned.reads) for (const r of refs) note(r, ins.line);
  const images = [...imageLines.keys()].sort((a, b) => (imageLines.get(a) ?? 0) - (imageLines.get(b) ?? 0));
  return { graph, pruned, images, imageLines };
}

export { renderDockerfile, HEREDOC_CONTEXT, type Rendered } from './render.js';
