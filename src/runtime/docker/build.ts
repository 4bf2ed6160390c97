// `build:` through the engine's classic /build endpoint (the one every Docker and Podman answers), with
// progress lines as EngineEvents.
import type Dockerode from 'dockerode';
import { automaticArgs } from '../../build/platform.js';
import { buildEmitter, type BuildServiceOptions } from '../../build/types.js';
import type { Service } from '../../model/types.js';
import type { ImageInfo } from '../types.js';
import { RuntimeError } from '../../util/errors.js';
import { call } from './errors.js';
import { contextTar, emptyTar, INLINE_DOCKERFILE } from './build-context.js';
import { classicDockerfile } from './build-frontend.js';
import { inspectImage, repoAndTag } from './images.js';
import { jsonLines, messageError } from './json-lines.js';

export type BuildOptions = BuildServiceOptions;

export function buildTag(service: Service, project: string, serviceName: string): string {
  return service.image ?? `${project}-${serviceName}`;
}

function isRemote(context: string): boolean {
  return /^(https?|git|ssh):\/\//.test(context) || context.startsWith('git@');
}

function stringOpt(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export async function buildImage(
  docker: Dockerode,
  service: Service,
  opts: BuildOptions,
): Promise<ImageInfo> {
  const b = service.build;
  if (!b) throw new RuntimeError(`service ${opts.serviceName} has no build section`);
  const tag = opts.tag ?? buildTag(service, opts.project, opts.serviceName);
  const env = opts.env ?? process.env;
  const buildargs: Record<string, string> = {};
  for (const [k, v] of Object.entries(b.args ?? {})) {
    // An argument without a value takes cmp's environment, or is left for the Dockerfile's default.
    const value = v ?? env[k];
    if (value !== undefined) buildargs[k] = value;
  }
  Object.assign(buildargs, opts.buildArgs ?? {});
  const options: Dockerode.ImageBuildOptions = { t: tag, rm: true, forcerm: true, buildargs };
  if (b.target) options.target = b.target;
  if (b.labels) options.labels = b.labels;
  const network = stringOpt(b.network);
  if (network) options.networkmode = network;
  if (b.no_cache === true || opts.noCache) options.nocache = true;
  if (b.pull === true || opts.pull) options.pull = true;
  if (opts.signal) options.abortSignal = opts.signal;

  let context: NodeJS.ReadableStream;
  if (isRemote(b.context)) {
    options.remote = b.context;
    if (b.dockerfile) options.dockerfile = b.dockerfile;
    context = emptyTar();
  } else {
    // cmp's own front end first (frontend.ts), so the classic builder gets a file it understands; it
    // goes into the context under a name of its own, with the heredoc files beside it.
    const df = await classicDockerfile(b, opts, buildargs);
    options.dockerfile = INLINE_DOCKERFILE;
    // The platform arguments BuildKit defines (the classic builder has none), as the embedded runtime has.
    options.buildargs = { ...automaticArgs(), ...buildargs };
    context = contextTar(b.context, { inline: df.text, extra: df.files });
  }

  const emit = buildEmitter(opts, tag);
  emit('create', 'Building');
  const stream = await call(`build ${tag}`, () => docker.buildImage(context, options));
  for await (const m of jsonLines(stream)) {
    const err = messageError(m);
    if (err) throw new RuntimeError(`docker: build ${tag}: ${err.trim()}`);
    const text = (m.stream ?? m.status ?? '').trim();
    if (text) emit('progress', text, m.id);
  }
  for (const extra of [...(opts.extraTags ?? []), ...(Array.isArray(b.tags) ? b.tags.map(String) : [])]) {
    await call(`tag ${extra}`, () => docker.getImage(tag).tag(repoAndTag(extra)));
  }
  const info = await inspectImage(docker, tag);
  if (!info) throw new RuntimeError(`docker: build ${tag} finished but the image is not there`);
  emit('progress', 'Built');
  return info;
}
