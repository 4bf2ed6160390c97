// Images through the engine: inspect, and pull per pull_policy with per-layer progress as EngineEvents.
import type Dockerode from 'dockerode';
import type { EventSink } from '../../engine/events.js';
import type { ImageConfig, ImageInfo, PullPolicy } from '../types.js';
import { RuntimeError } from '../../util/errors.js';
import { normalizeReference } from '../image-reference.js';
import { call, callOrMissing } from './errors.js';
import { nanosToMs } from './durations.js';
import { jsonLines, messageError } from './json-lines.js';

type EngineImageConfig = Dockerode.ImageInspectInfo['Config'] & { StopSignal?: string };

export function toImageConfig(c: EngineImageConfig | undefined): ImageConfig {
  const out: ImageConfig = {};
  if (!c) return out;
  // The engine keeps null and [] apart for Entrypoint/Cmd, like the model does.
  if (c.Entrypoint !== undefined)
    out.entrypoint = typeof c.Entrypoint === 'string' ? [c.Entrypoint] : c.Entrypoint;
  if (c.Cmd !== undefined) out.cmd = c.Cmd;
  if (c.Env) out.env = c.Env;
  if (c.WorkingDir) out.workingDir = c.WorkingDir;
  if (c.User) out.user = c.User;
  if (c.StopSignal) out.stopSignal = c.StopSignal;
  if (c.ExposedPorts) out.exposedPorts = Object.keys(c.ExposedPorts);
  if (c.Volumes) out.volumes = Object.keys(c.Volumes);
  if (c.Labels) out.labels = c.Labels;
  const h = c.Healthcheck;
  if (h) {
    out.healthcheck = {};
    if (h.Test) out.healthcheck.test = h.Test;
    const interval = nanosToMs(h.Interval);
    const timeout = nanosToMs(h.Timeout);
    const startPeriod = nanosToMs(h.StartPeriod);
    if (interval !== undefined) out.healthcheck.interval = interval;
    if (timeout !== undefined) out.healthcheck.timeout = timeout;
    if (h.Retries) out.healthcheck.retries = h.Retries;
    if (startPeriod !== undefined) out.healthcheck.startPeriod = startPeriod;
  }
  return out;
}

/** The reference in docker's canonical form, or as written when it is not a reference (an image id). */
/** `repo[:tag]` as the engine's tag and commit endpoints take it; a port's colon is not a tag's. */
export function repoAndTag(ref: string): { repo: string; tag: string } {
  const cut = ref.lastIndexOf(':');
  const named = cut > ref.lastIndexOf('/');
  return { repo: named ? ref.slice(0, cut) : ref, tag: named ? ref.slice(cut + 1) : 'latest' };
}

export function canonicalRef(ref: string): string {
  if (/^(sha256:)?[a-f0-9]{12,64}$/.test(ref)) return ref;
  try {
    return normalizeReference(ref);
  } catch {
    return ref;
  }
}

export async function inspectImage(docker: Dockerode, ref: string): Promise<ImageInfo | undefined> {
  const info = await callOrMissing(`inspect image ${ref}`, () => docker.getImage(ref).inspect());
  if (!info) return undefined;
  const image: ImageInfo = { ref: canonicalRef(ref), id: info.Id, config: toImageConfig(info.Config) };
  const digest = info.RepoDigests?.[0]?.split('@')[1];
  if (digest) image.digest = digest;
  if (info.Size !== undefined) image.size = info.Size;
  return image;
}

export async function pullImage(
  docker: Dockerode,
  ref: string,
  events?: EventSink,
  signal?: AbortSignal,
): Promise<void> {
  const emit = (
    action: 'pull' | 'pulled' | 'progress',
    status: string,
    extra: Partial<Parameters<EventSink>[0]> = {},
  ): void => events?.({ time: Date.now(), kind: 'image', name: ref, action, status, ...extra });
  emit('pull', 'Pulling');
  const stream = await call(`pull ${ref}`, () =>
    docker.createImage({ fromImage: ref, ...(signal ? { abortSignal: signal } : {}) }),
  );
  for await (const m of jsonLines(stream)) {
    const err = messageError(m);
    if (err) throw new RuntimeError(`docker: pull ${ref}: ${err}`);
    const ev: Partial<Parameters<EventSink>[0]> = {};
    if (m.id) ev.detail = m.id;
    if (m.progressDetail?.current !== undefined) ev.current = m.progressDetail.current;
    if (m.progressDetail?.total !== undefined) ev.total = m.progressDetail.total;
    emit('progress', m.status ?? '', ev);
  }
  emit('pulled', 'Pulled');
}

export async function ensureImage(
  docker: Dockerode,
  ref: string,
  policy: PullPolicy,
  events?: EventSink,
  signal?: AbortSignal,
): Promise<ImageInfo> {
  if (policy !== 'always') {
    const have = await inspectImage(docker, ref);
    if (have) return have;
    if (policy === 'never') {
      throw new RuntimeError(`image ${ref} is not present and pull_policy is "never"`, {
        hint: 'pull or load it first',
      });
    }
    if (policy === 'build') {
      throw new RuntimeError(`image ${ref} has not been built`, {
        hint: 'build the service first (cmp up --build)',
      });
    }
  }
  await pullImage(docker, ref, events, signal);
  const got = await inspectImage(docker, ref);
  if (!got) throw new RuntimeError(`docker: pulled ${ref} but the engine does not list it`);
  return got;
}
