// `build:` on the embedded runtime: cmp's Dockerfile front end decides what to build (src/build), buildah
// runs it with a store of its own under <state>/build, base images go to buildah from cmp's store, and
// the result comes back into cmp's store. Flow and measurements: docs/build.md.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Buildah } from '../../build/buildah.js';
import { planDockerfile, renderDockerfile, HEREDOC_CONTEXT } from '../../build/dockerfile/index.js';
import { at, BuildError } from '../../build/errors.js';
import { StepTracker } from '../../build/progress.js';
import { buildRequest, targetLocation } from '../../build/request.js';
import { buildEmitter, type BuildServiceOptions } from '../../build/types.js';
import { automaticArgs, hostPlatform } from '../../build/platform.js';
import type { EventSink } from '../../engine/events.js';
import type { Service } from '../../model/types.js';
import { isCmpError } from '../../util/errors.js';
import { stateRoot } from '../../util/paths.js';
import type { ImageInfo, PullPolicy } from '../types.js';
import type { ExportedForBuild } from './images/exchange.js';

/** What building needs from the image store (the real ImageStore has it; test fakes may not). */
export interface BuildStore {
  ensure(ref: string, policy: PullPolicy, sink?: EventSink, signal?: AbortSignal): Promise<ImageInfo>;
  inspect(ref: string): Promise<ImageInfo | undefined>;
  tag(source: string, target: string): Promise<ImageInfo>;
  exportForBuild(ref: string, dir: string, signal?: AbortSignal): Promise<ExportedForBuild>;
  importBuilt(
    dir: string,
    layerMap: Readonly<Record<string, string>>,
    refs: string[],
    signal?: AbortSignal,
  ): Promise<ImageInfo>;
}

export function isBuildStore(x: object): x is BuildStore {
  const s = x as Partial<BuildStore>;
  return typeof s.exportForBuild === 'function' && typeof s.importBuilt === 'function';
}

export function buildRoot(): string {
  return join(stateRoot(), 'build');
}

interface BaseRecord {
  name: string;
  layerMap: Record<string, string>;
}

/** Makes a stored image available to buildah under a name of its own; once per image id. */
async function provideBase(
  store: BuildStore,
  buildah: Buildah,
  id: string,
  work: string,
  signal?: AbortSignal,
): Promise<BaseRecord> {
  const hex = id.replace(/^sha256:/, '');
  const name = `localhost/cmp-base:${hex}`;
  const recordFile = join(buildah.root, 'bases', `${hex}.json`);
  try {
    const rec = JSON.parse(await readFile(recordFile, 'utf8')) as BaseRecord;
    if (await buildah.hasImage(name)) return rec;
  } catch {
    // not handed over yet
  }
  const dir = join(work, `base-${hex.slice(0, 12)}`);
  const { layerMap } = await store.exportForBuild(id, dir, signal);
  // buildah names the pulled image after the folder's path, which must then be a valid (lowercase)
  // reference; a state root like /tmp/Xy1 is not, so buildah is given a fixed lowercase path to it.
  const alias = join('/tmp', `cmp-base-${hex.slice(0, 12)}-${randomBytes(4).toString('hex')}`);
  await symlink(dir, alias);
  try {
    const pulled = (
      await buildah.cmd(['pull', '-q', `oci:${alias}`], signal).finally(() => buildah.unmountAll())
    ).trim();
    await buildah.cmd(['tag', pulled, name], signal);
    // The pull also named the image after the folder it came from; only cmp's name is kept.
    await buildah.cmd(['rmi', `localhost${alias}:latest`], signal).catch(() => undefined);
  } finally {
    await rm(alias, { force: true });
    await rm(dir, { recursive: true, force: true });
  }
  const rec: BaseRecord = { name, layerMap };
  await mkdir(join(buildah.root, 'bases'), { recursive: true });
  await writeFile(recordFile, JSON.stringify(rec));
  return rec;
}

export async function buildWithBuildah(
  store: BuildStore,
  service: Service,
  opts: BuildServiceOptions,
): Promise<ImageInfo> {
  const model = opts.model;
  if (!model) throw new BuildError(`service ${opts.serviceName}: building needs the loaded project`);
  const env = opts.env ?? process.env;
  const tag = opts.tag ?? service.image ?? `${opts.project}-${opts.serviceName}`;
  const emit = buildEmitter(opts, tag);
  const req = await buildRequest(model, opts.serviceName, service, opts, env, hostPlatform());
  const plan = planDockerfile(req.dockerfileText, req.dockerfilePath, {
    ...(req.target ? { target: req.target } : {}),
    ...(req.target ? { targetLocation: targetLocation(model, opts.serviceName) } : {}),
    buildArgs: req.args,
    automaticArgs: automaticArgs(),
    contexts: new Set(Object.keys(req.contexts)),
  });
  emit('create', 'Building');
  const buildah = new Buildah(buildRoot());
  await buildah.prepare();
  const work = join(buildah.root, 'work', randomBytes(6).toString('hex'));
  await mkdir(work, { recursive: true });
  try {
    const names = new Map<string, string>();
    const layerMap: Record<string, string> = {};
    for (const ref of plan.images) {
      const real = req.imageAliases[ref] ?? ref;
      let image: ImageInfo;
      try {
        image = await store.ensure(real, req.pull ? 'always' : 'missing', opts.events, opts.signal);
      } catch (e) {
        const why = isCmpError(e) ? e.message : String(e);
        throw new BuildError(`base image ${real}: ${why}`, {
          location: at(req.dockerfilePath, plan.imageLines.get(ref) ?? 1),
          cause: e,
        });
      }
      const base = await provideBase(store, buildah, image.id, work, opts.signal);
      names.set(ref, base.name);
      Object.assign(layerMap, base.layerMap);
    }
    const rendered = renderDockerfile(plan.graph, plan.pruned, {
      imageName: (ref) => names.get(ref) ?? ref,
      hostPlatform: hostPlatform(),
      secretIds: new Set(req.secrets.map((s) => s.id)),
    });
    const dockerfile = join(work, 'Dockerfile');
    await writeFile(dockerfile, rendered.text);
    const contexts = { ...req.contexts };
    if (rendered.heredocFiles.length > 0) {
      const dir = join(work, 'heredocs');
      for (const f of rendered.heredocFiles) {
        await mkdir(join(dir, f.path, '..'), { recursive: true });
        await writeFile(join(dir, f.path), f.content);
      }
      contexts[HEREDOC_CONTEXT] = dir;
    }
    const secrets: { id: string; file: string }[] = [];
    for (const [i, s] of req.secrets.entries()) {
      if (s.file) secrets.push({ id: s.id, file: s.file });
      else {
        const file = join(work, `secret-${i}`);
        await writeFile(file, s.value ?? '', { mode: 0o600 });
        secrets.push({ id: s.id, file });
      }
    }
    const tracker = new StepTracker(req.dockerfilePath, rendered.steps, plan.graph.df.lines);
    const iidFile = join(work, 'iid');
    const res = await buildah.bud({
      context: req.context,
      dockerfile,
      iidFile,
      ...(req.target ? { target: req.target } : {}),
      args: { ...automaticArgs(), ...req.args },
      labels: req.labels,
      contexts,
      network: req.network,
      extraHosts: req.extraHosts,
      ...(req.shmSize ? { shmSize: req.shmSize } : {}),
      noCache: req.noCache,
      secrets,
      ...(req.ignoreFile ? { ignoreFile: req.ignoreFile } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onLine: (line) => {
        const ev = tracker.feed(line);
        if (ev)
          emit('progress', ev.status, ev.line === undefined ? undefined : `${req.dockerfilePath}:${ev.line}`);
        else if (opts.verboseOutput) emit('progress', line);
      },
    });
    if (res.exitCode !== 0) throw tracker.failure(res.tail);
    const iid = (await readFile(iidFile, 'utf8')).trim().replace(/^sha256:/, '');
    const refs = [...new Set([tag, ...(opts.extraTags ?? []), ...req.extraTags])];
    const info = await importOnce(store, buildah, iid, work, layerMap, refs, opts.signal);
    emit('progress', 'Built', info.id);
    return info;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Copies buildah's image into cmp's store, unless the same buildah image was imported before and is still
 * there (a rebuild where every step came from the cache): then it is only tagged.
 */
async function importOnce(
  store: BuildStore,
  buildah: Buildah,
  iid: string,
  work: string,
  layerMap: Record<string, string>,
  refs: string[],
  signal?: AbortSignal,
): Promise<ImageInfo> {
  const recordFile = join(buildah.root, 'imported', iid);
  try {
    const id = (await readFile(recordFile, 'utf8')).trim();
    if (await store.inspect(id)) {
      const tagged = [];
      for (const r of refs) tagged.push(await store.tag(id, r));
      if (tagged[0]) return tagged[0];
    }
  } catch {
    // never imported
  }
  const out = join(work, 'out');
  await buildah.cmd(['push', '-q', '-D', iid, `dir:${out}`], signal).finally(() => buildah.unmountAll());
  const info = await store.importBuilt(out, layerMap, refs, signal);
  await mkdir(join(buildah.root, 'imported'), { recursive: true });
  await writeFile(recordFile, info.id);
  return { ...info, ref: refs[0] ?? info.ref };
}
