// The Runtime over a Docker Engine API (Docker, or Podman's compatible socket). The engine owns restarts,
// healthchecks and DNS on this driver; cmp only sends the compose model across and reads state back.
import Dockerode from 'dockerode';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { EventSink } from '../../engine/events.js';
import type { Service } from '../../model/types.js';
import type { CommitRequest } from '../../build/commit.js';
import { RuntimeError } from '../../util/errors.js';
import {
  LABEL,
  type ContainerCreateRequest,
  type ContainerState,
  type ExecRequest,
  type ImageInfo,
  type LogLine,
  type LogOptions,
  type NetworkCreateRequest,
  type NetworkState,
  type PullPolicy,
  type Runtime,
  type RuntimeEvent,
  type StopOptions,
  type VolumeCreateRequest,
  type VolumeState,
} from '../types.js';
import { attachAndRun, type AttachIO } from './attach.js';
import { buildImage, type BuildOptions } from './build.js';
import { connectionOptions } from './connection.js';
import { copyToContainer, type CopyItem } from './copy.js';
import { connectBody, createPlan, type FileCopy } from './container-config.js';
import { toContainerState } from './container-state.js';
import { call, callOrMissing, engineError, isNotFound, isNotModified } from './errors.js';
import { engineEvents } from './events.js';
import { runExec, type ExecIO } from './exec.js';
import { ensureImage, inspectImage, repoAndTag } from './images.js';
import { containerLogs } from './logs.js';
import * as nets from './networks.js';
import { referencedServices, type ResolvedRef } from './service-refs.js';
import * as vols from './volumes.js';

export interface DockerRuntimeOptions {
  /** Connection options; by default from DOCKER_HOST. */
  connection?: Dockerode.DockerOptions;
  env?: NodeJS.ProcessEnv;
}

function signalNumber(signal: string): string {
  return signal.toUpperCase().startsWith('SIG') || /^\d+$/.test(signal)
    ? signal
    : `SIG${signal.toUpperCase()}`;
}

/** Files for configs/secrets given as content, as a tar rooted at `/` for the archive endpoint. */
async function copiesTar(copies: FileCopy[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const c of copies) {
    pack.entry(
      { name: c.path.replace(/^\/+/, ''), mode: c.mode, uid: c.uid, gid: c.gid, type: 'file' },
      c.content,
    );
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from(pack)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export class DockerRuntime implements Runtime {
  readonly kind = 'docker';
  readonly docker: Dockerode;
  private readonly env: NodeJS.ProcessEnv;

  constructor(opts: DockerRuntimeOptions = {}) {
    this.env = opts.env ?? process.env;
    this.docker = new Dockerode(opts.connection ?? connectionOptions(this.env));
  }

  /** Fails with a RuntimeError naming the address when the engine does not answer. */
  async ping(): Promise<void> {
    await call('ping', () => this.docker.ping());
  }

  // Images

  ensureImage(ref: string, policy: PullPolicy, events?: EventSink, signal?: AbortSignal): Promise<ImageInfo> {
    return ensureImage(this.docker, ref, policy, events, signal);
  }

  inspectImage(ref: string): Promise<ImageInfo | undefined> {
    return inspectImage(this.docker, ref);
  }

  /** `cmp commit` through the engine's /commit (the engine applies the `-c` changes itself). */
  async commit(id: string, req: CommitRequest): Promise<ImageInfo> {
    const res = (await call(`commit ${id}`, () =>
      this.docker.getContainer(id).commit({
        ...(req.ref ? repoAndTag(req.ref) : {}),
        ...(req.message !== undefined ? { comment: req.message } : {}),
        ...(req.author !== undefined ? { author: req.author } : {}),
        pause: req.pause,
        changes: req.changes,
      }),
    )) as { Id?: string };
    const info = await inspectImage(this.docker, res.Id ?? req.ref ?? '');
    if (!info) throw new RuntimeError(`docker: commit of ${id} finished but the image is not there`);
    return req.ref ? { ...info, ref: req.ref } : info;
  }

  /** Builds a service's `build:` through the engine (not part of Runtime: the embedded driver has no builder). */
  build(service: Service, opts: BuildOptions): Promise<ImageInfo> {
    return buildImage(this.docker, service, { env: this.env, ...opts });
  }

  async removeImage(ref: string, opts: { force?: boolean } = {}): Promise<void> {
    try {
      await this.docker.getImage(ref).remove({ force: opts.force ?? false });
    } catch (e) {
      if (!isNotFound(e)) throw engineError(`remove image ${ref}`, e);
    }
  }

  // Networks and volumes

  listNetworks(project: string): Promise<NetworkState[]> {
    return nets.listNetworks(this.docker, project);
  }
  createNetwork(req: NetworkCreateRequest): Promise<NetworkState> {
    return nets.createNetwork(this.docker, req);
  }
  removeNetwork(name: string): Promise<void> {
    return nets.removeNetwork(this.docker, name);
  }
  inspectNetwork(name: string): Promise<NetworkState | undefined> {
    return nets.inspectNetwork(this.docker, name);
  }
  listVolumes(project: string): Promise<VolumeState[]> {
    return vols.listVolumes(this.docker, project);
  }
  createVolume(req: VolumeCreateRequest): Promise<VolumeState> {
    return vols.createVolume(this.docker, req);
  }
  removeVolume(name: string): Promise<void> {
    return vols.removeVolume(this.docker, name);
  }
  inspectVolume(name: string): Promise<VolumeState | undefined> {
    return vols.inspectVolume(this.docker, name);
  }

  // Containers

  async listProjects(): Promise<string[]> {
    const list = await call('list containers', () =>
      this.docker.listContainers({ all: true, filters: { label: [LABEL.project] } }),
    );
    const names = list.map((c) => c.Labels[LABEL.project] ?? '');
    return [...new Set(names.filter((n) => n !== ''))].sort();
  }

  async listContainers(project: string, opts: { all: boolean }): Promise<ContainerState[]> {
    const list = await call('list containers', () =>
      this.docker.listContainers({ all: opts.all, filters: { label: [`${LABEL.project}=${project}`] } }),
    );
    // The list summary lacks restart count, health and times; inspect gives the same state as inspectContainer.
    const states = await Promise.all(list.map((c) => this.inspectContainer(c.Id)));
    return states.filter((s): s is ContainerState => s !== undefined);
  }

  async inspectContainer(id: string): Promise<ContainerState | undefined> {
    const info = await callOrMissing(`inspect container ${id}`, () => this.docker.getContainer(id).inspect());
    return info ? toContainerState(info) : undefined;
  }

  /** The container of another service that `service:x`, volumes_from and links point at: the lowest number. */
  private async resolveRefs(req: ContainerCreateRequest): Promise<Map<string, ResolvedRef>> {
    const refs = new Map<string, ResolvedRef>();
    const wanted = referencedServices(req.service);
    if (wanted.length === 0) return refs;
    const all = await this.listContainers(req.project.name, { all: true });
    for (const svc of wanted) {
      const mine = all
        .filter((c) => c.labels[LABEL.service] === svc && c.labels[LABEL.oneoff] !== 'True')
        .sort((a, b) => Number(a.labels[LABEL.number] ?? 0) - Number(b.labels[LABEL.number] ?? 0));
      const pick = mine[0];
      if (pick) refs.set(svc, { id: pick.id, name: pick.name });
    }
    return refs;
  }

  async createContainer(req: ContainerCreateRequest): Promise<ContainerState> {
    const plan = createPlan(req, await this.resolveRefs(req), this.env);
    const what = `create container ${req.name}`;
    const created = await call(what, () => this.docker.createContainer(plan.body));
    try {
      // As docker compose does: one network at create, the others connected before the first start.
      for (const att of plan.laterNetworks) {
        await call(`connect ${req.name} to ${att.network}`, () =>
          this.docker
            .getNetwork(att.network)
            .connect({ Container: created.id, EndpointConfig: connectBody(req, att) }),
        );
      }
      if (plan.copies.length) {
        const archive = await copiesTar(plan.copies);
        await call(`copy configs/secrets into ${req.name}`, () => created.putArchive(archive, { path: '/' }));
      }
    } catch (e) {
      await created.remove({ force: true }).catch(() => undefined);
      throw e;
    }
    const state = await this.inspectContainer(created.id);
    if (!state) throw new RuntimeError(`docker: container ${req.name} vanished right after create`);
    return state;
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (e) {
      if (!isNotModified(e)) throw engineError(`start ${id}`, e);
    }
  }

  async stopContainer(id: string, opts: StopOptions): Promise<void> {
    const c = this.docker.getContainer(id);
    const seconds = Math.max(0, Math.ceil(opts.timeoutMs / 1000));
    if (!opts.signal) {
      // The engine sends the container's own stop signal (stop_signal), then SIGKILL after t seconds.
      try {
        await c.stop({ t: seconds });
      } catch (e) {
        if (!isNotModified(e) && !isNotFound(e)) throw engineError(`stop ${id}`, e);
      }
      return;
    }
    // An explicit signal overrides the container's: send it, wait out the grace period, then kill.
    try {
      await c.kill({ signal: signalNumber(opts.signal) });
    } catch (e) {
      if (isNotFound(e) || /is not running/.test(String(e))) return;
      throw engineError(`kill ${id}`, e);
    }
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), opts.timeoutMs);
    try {
      await this.waitContainer(id, ac.signal);
    } catch {
      await this.killContainer(id, 'SIGKILL');
      await this.waitContainer(id);
    } finally {
      clearTimeout(timer);
    }
  }

  async killContainer(id: string, signal: string): Promise<void> {
    try {
      await this.docker.getContainer(id).kill({ signal: signalNumber(signal) });
    } catch (e) {
      if (/is not running/.test(String((e as { json?: { message?: string } }).json?.message ?? e))) return;
      throw engineError(`kill ${id}`, e);
    }
  }

  async removeContainer(id: string, opts: { force: boolean; volumes: boolean }): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: opts.force, v: opts.volumes });
    } catch (e) {
      if (!isNotFound(e)) throw engineError(`remove ${id}`, e);
    }
  }

  async renameContainer(id: string, name: string): Promise<void> {
    await call(`rename ${id} to ${name}`, () => this.docker.getContainer(id).rename({ name }));
  }

  async pauseContainer(id: string): Promise<void> {
    await call(`pause ${id}`, () => this.docker.getContainer(id).pause());
  }

  async unpauseContainer(id: string): Promise<void> {
    await call(`unpause ${id}`, () => this.docker.getContainer(id).unpause());
  }

  /**
   * An attached one-off over the Engine API: attach (hijacked) before the start, so no output is missed,
   * then this process's stdin goes to the container until it ends, and its output comes back (one stream
   * with a TTY, demultiplexed without). `io` is for tests; the CLI passes nothing and gets its own stdio.
   */
  async runAttached(id: string, io: AttachIO = {}): Promise<number> {
    return attachAndRun(this.docker.getContainer(id), id, io);
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<number> {
    const res = (await call(`wait ${id}`, () =>
      this.docker
        .getContainer(id)
        .wait({ condition: 'not-running', ...(signal ? { abortSignal: signal } : {}) }),
    )) as { StatusCode?: number };
    return res.StatusCode ?? 0;
  }

  logs(id: string, opts: LogOptions): AsyncIterable<LogLine> {
    return containerLogs(this.docker.getContainer(id), opts);
  }

  /**
   * Runs a command in the container and resolves with its exit code. Output goes to `io` (by default cmp's own
   * stdout/stderr, and stdin when interactive), demultiplexed unless the exec has a TTY.
   */
  exec(id: string, req: ExecRequest, io?: ExecIO): Promise<number> {
    const streams: ExecIO = io ?? {
      stdout: process.stdout,
      stderr: process.stderr,
      ...(req.interactive ? { stdin: process.stdin } : {}),
    };
    return runExec(this.docker.getContainer(id), req, streams);
  }

  copyTo(id: string, files: CopyItem[], deletions: string[]): Promise<void> {
    return copyToContainer(this.docker.getContainer(id), files, deletions);
  }

  /**
   * Engine events for compose-labelled objects from the moment of the call (not of the first read); `project`
   * narrows them to one project.
   */
  events(signal: AbortSignal, project?: string): AsyncIterable<RuntimeEvent> {
    return engineEvents(this.docker, signal, project, Date.now());
  }
}
