// The Dockerfile the engine's classic builder gets: cmp's front end (src/build/dockerfile) parses it,
// keeps only the stages the target needs and rewrites what the classic builder lacks (heredocs, `--link`,
// `# syntax=`, cache mounts), so a Dockerfile builds on both runtimes alike; what it cannot do at all
// (`RUN --mount=type=secret|bind|…`) is a located error before the engine is asked.
import { planDockerfile, renderDockerfile } from '../../build/dockerfile/index.js';
import { BuildError } from '../../build/errors.js';
import { automaticArgs, hostPlatform } from '../../build/platform.js';
import { readDockerfile, targetLocation } from '../../build/request.js';
import type { BuildServiceOptions } from '../../build/types.js';
import type { BuildConfig } from '../../model/types.js';

/** Where heredoc files go inside the context sent to the engine. */
const HEREDOC_DIR = '.cmp-heredocs';

export interface ClassicDockerfile {
  text: string;
  /** Files to add to the context (heredoc bodies). */
  files: { path: string; content: string }[];
}

export async function classicDockerfile(
  b: BuildConfig,
  opts: BuildServiceOptions,
  buildArgs: Readonly<Record<string, string>>,
): Promise<ClassicDockerfile> {
  const { path: file, text } = await readDockerfile(b, (path) => {
    throw new BuildError(`cannot read the Dockerfile ${path}`);
  });
  const where = opts.model && b.target ? targetLocation(opts.model, opts.serviceName) : undefined;
  const plan = planDockerfile(text, file, {
    ...(b.target ? { target: b.target } : {}),
    ...(where ? { targetLocation: where } : {}),
    buildArgs,
    automaticArgs: automaticArgs(),
  });
  const rendered = renderDockerfile(plan.graph, plan.pruned, {
    imageName: (ref) => ref,
    hostPlatform: hostPlatform(),
    classic: { heredocDir: HEREDOC_DIR },
  });
  return {
    text: rendered.text,
    files: rendered.heredocFiles.map((f) => ({ path: `${HEREDOC_DIR}/${f.path}`, content: f.content })),
  };
}
