// The embedded runtime: images from an ImageSource, networks from a NetworkBackend, and containers run by
// runc under conmon. Every answer is observed from disk (records under the state root) and from runc, so
// any number of cmp processes can use it at once and none has to stay alive for the containers to run.
import { spawn } from 'node:child_process';
import { access, rm, writeFile } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { join } from 'node:path';
import type { EventSink } from '../../engine/events.js';
import { RuntimeError } from '../../util/errors.js';
import {
  LABEL,
  type ContainerCreateRequest,
  type ContainerState,
  type ExecRequest,
  type ContainerStats,
  type CopyOptions,
  type ImageInfo,
  type LogLine,
  type LogOptions,
  type NetworkCreateRequest,
  type NetworkState,
  type PublishedPort,
  type PullPolicy,
  type Runtime,
  type RuntimeEvent,
  type StopOptions,
  type VolumeCreateRequest,
  type VolumeState,
} from '../types.js';
import { removeCgroups } from './containers/cgroups.js';
import { createContainer, newContainerId, withPeerNetns } from './containers/create.js';
import { copyIntoContainer, type CopyItem } from './containers/copy.js';
import { type ExecResult, execIn } from './containers/exec.js';
import { HOST_ROOTFS_IMAGE, type ImageSource } from './containers/image-source.js';
import { readLogs } from './containers/logs.js';
import {
  type BrokenContainer,
  type ContainerMeta,
  listBroken,
  listMeta,
  noteAction,
  readMeta,
  scanContainers,
  updateMeta,
  writeMeta,
} from './containers/meta.js';
import { conmonLogSizeMax, logPolicyFor } from './containers/log-rotate.js';
import { launchMonitor } from './containers/monitor.js';
import {
  bundleDir,
  containerDir,
  createLockPath,
  exitFile,
  logPath,
  runcRoot,
  socketDir,
} from './containers/paths.js';
import { mountOverlay, prepareHostRootfs, removeBundle } from './containers/rootfs.js';
import {
  runcDelete,
  runcKill,
  runcPause,
  runcResume,
  RUNC,
  releaseCreated,
  runcIsCreated,
  runcForget,
  runcGone,
  runcStart,
  runcState,
  runcStates,
} from './containers/runc.js';
import { awaitExit, observe, readExit } from './containers/status.js';
import type { NetworkBackend } from './net/types.js';
import type { PortConfig, Project, Service } from '../../model/types.js';
import type { BuildServiceOptions } from '../../build/types.js';
import type { CommitRequest } from '../../build/commit.js';
import * as volumes from './volumes.js';
import { resolveHealthcheck } from '../../supervise/healthcheck-config.js';
import { faultPoint } from '../../util/fault.js';
import { withLock } from '../../util/lock.js';
import { brokenState, findDamaged, reportBroken } from './repair.js';

const POLL_MS = 50;
const STOP_POLL_MS = 5;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class EmbeddedRuntime implements Runtime {
  readonly kind = 'embedded';

  constructor(
    private readonly images: ImageSource,
    protected readonly net: NetworkBackend,
  ) {}

  // ---- images

  async ensureImage(
    ref: string,
    policy: PullPolicy,
    events?: EventSink,
    signal?: AbortSignal,
  ): Promise<ImageInfo> {
    if (ref === HOST_ROOTFS_IMAGE.ref) return HOST_ROOTFS_IMAGE;
    return this.images.ensure(ref, policy, events, signal);
  }

  async inspectImage(ref: string): Promise<ImageInfo | undefined> {
    if (ref === HOST_ROOTFS_IMAGE.ref) return HOST_ROOTFS_IMAGE;
    return this.images.inspect(ref);
  }

  async removeImage(ref: string, opts: { force?: boolean } = {}): Promise<void> {
    if (ref === HOST_ROOTFS_IMAGE.ref) return;
    const { isRemovableStore, removeStoredImage } = await import('./images/removal.js');
    if (!isRemovableStore(this.images)) throw new RuntimeError('this image store cannot remove images');
    await removeStoredImage(this.images, ref, await listMeta(), opts.force === true);
  }

  /** Builds a service's `build:` with buildah (build.ts); found by shape, as the docker runtime's is. */
  async build(service: Service, opts: BuildServiceOptions): Promise<ImageInfo> {
    const { buildWithBuildah, isBuildStore } = await import('./build.js');
    if (!isBuildStore(this.images)) throw new RuntimeError('this image store cannot take built images');
    return buildWithBuildah(this.images, service, opts);
  }

  /** `cmp commit` (commit.ts); found by shape, as the docker runtime's is. */
  async commit(id: string, req: CommitRequest, signal?: AbortSignal): Promise<ImageInfo> {
    const { commitContainer, isCommitStore } = await import('./commit.js');
    if (!isCommitStore(this.images)) throw new RuntimeError('this image store cannot take committed images');
    const meta = await this.need(id);
    const state = await observe(meta);
    return commitContainer(this.images, meta, state.status === 'running', req, signal);
  }

  // ---- networks (the network layer's)

  listNetworks(project: string): Promise<NetworkState[]> {
    return this.net.listNetworks(project);
  }
  createNetwork(req: NetworkCreateRequest): Promise<NetworkState> {
    return this.net.createNetwork(req);
  }
  removeNetwork(name: string): Promise<void> {
    return this.net.removeNetwork(name);
  }
  inspectNetwork(name: string): Promise<NetworkState | undefined> {
    return this.net.inspectNetwork(name);
  }

  // ---- volumes

  listVolumes(project: string): Promise<VolumeState[]> {
    return volumes.listVolumes(project);
  }
  createVolume(req: VolumeCreateRequest): Promise<VolumeState> {
    return volumes.createVolume(req);
  }
  removeVolume(name: string): Promise<void> {
    return volumes.removeVolume(name);
  }
  inspectVolume(name: string): Promise<VolumeState | undefined> {
    return volumes.inspectVolume(name);
  }

  // ---- containers

  private async find(idOrName: string): Promise<ContainerMeta | undefined> {
    if (/^[0-9a-f]{64}$/.test(idOrName)) {
      const m = await readMeta(idOrName);
      if (m) return m;
    }
    const all = await listMeta();
    return (
      all.find((m) => m.name === idOrName) ??
      all.find((m) => idOrName.length >= 6 && m.id.startsWith(idOrName))
    );
  }

  private async need(idOrName: string): Promise<ContainerMeta> {
    const m = await this.find(idOrName);
    if (!m) throw new RuntimeError(`no such container: ${idOrName}`);
    return m;
  }

  async listProjects(): Promise<string[]> {
    const names = (await listMeta()).map((m) => m.labels[LABEL.project] ?? '');
    return [...new Set(names.filter((n) => n !== ''))].sort();
  }

  async listContainers(project: string, opts: { all: boolean }): Promise<ContainerState[]> {
    const scan = await scanContainers();
    const metas = scan.metas.filter((m) => m.labels[LABEL.project] === project);
    const runc = metas.length > 1 ? await runcStates() : undefined;
    const states = await Promise.all(metas.map((m) => observe(m, runc)));
    // Shown as dead until a command that changes the project removes them (repair).
    if (opts.all && scan.unrecorded.length > 0) {
      for (const b of await listBroken(project, scan.unrecorded)) {
        reportBroken(b);
        states.push(brokenState(b));
      }
    }
    return states
      .filter((s) => opts.all || s.status === 'running' || s.status === 'paused')
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  /**
   * Transactional: the identity is on disk before anything is made, the record only once all is made
   * and launched, and the create lock is held in between. A process that dies at any step leaves a
   * container without a record and without a lock holder: `repair` (the next up, down, ...) removes it.
   */
  async createContainer(req: ContainerCreateRequest): Promise<ContainerState> {
    const id = newContainerId();
    return withLock(createLockPath(id), async () => {
      const meta = await createContainer({ images: this.images, net: this.net }, req, id);
      // `runc create` happens here, not at start: it is most of a start's cost, and up creates every new
      // container in parallel ahead of the dependency-ordered starts, which then only release the process.
      let pid: number | undefined;
      try {
        if (!req.attached) pid = await this.launch(meta, { fresh: true });
        faultPoint('create:launched');
        await writeMeta(meta);
        faultPoint('create:recorded');
      } catch (e) {
        await this.teardown(meta.id, meta.sandbox).catch(() => undefined);
        for (const v of meta.anonymousVolumes) await volumes.removeVolume(v).catch(() => undefined);
        throw e;
      }
      return observe(meta, pid === undefined ? new Map() : new Map([[meta.id, { status: 'created', pid }]]));
    });
  }

  /**
   * Called by every command that changes the project, with its lock held, before it looks at the
   * project: removes containers a dead command left half-made, and containers whose record, sandbox
   * record or network record was damaged and moved aside (they cannot be run or removed the normal way;
   * the command then makes them anew), and bridges of the project whose network record is gone.
   */
  async repair(project: Project): Promise<void> {
    const scan = await scanContainers();
    for (const b of await listBroken(project.name, scan.unrecorded, { anonymous: true }))
      await this.removeBroken(b);
    const damaged = await findDamaged(project, scan.metas, this.net);
    for (const d of damaged.containers) {
      process.stderr.write(`WARN container ${d.meta.name}: ${d.why}; removing it so it is made anew\n`);
      await this.removeContainer(d.meta.id, { force: true, volumes: false });
    }
    for (const n of damaged.networks) await this.net.removeNetwork(n);
  }

  /** `cmp system prune`: every broken container on the host, whatever its project; their ids. */
  async removeBrokenContainers(): Promise<string[]> {
    const broken = await listBroken();
    for (const b of broken) await this.removeBroken(b);
    return broken.map((b) => b.id);
  }

  /** Under the container's create lock, so two commands never remove one broken container at once. */
  private async removeBroken(b: BrokenContainer): Promise<void> {
    try {
      await withLock(
        createLockPath(b.id),
        async () => {
          if (await readMeta(b.id)) return;
          const state = await runcState(b.id);
          if (state && state.status !== 'stopped') await runcKill(b.id, 'SIGKILL').catch(() => undefined);
          await this.waitStopped(b.id, Date.now() + 10_000);
          await this.teardown(b.id, true);
        },
        0,
      );
    } catch (e) {
      // Another command is removing it (it holds the lock): not ours to report.
      if (!(e instanceof RuntimeError) || !/is locked by/.test(e.message)) throw e;
    }
  }

  /**
   * Rootfs, bundle and conmon + `runc create`: the container exists, its process waits to be started.
   * `fresh`: createContainer has just made the rootfs and config.json, so they need no second look.
   */
  private async launch(meta: ContainerMeta, opts: { fresh: boolean } = { fresh: false }): Promise<number> {
    if (!opts.fresh) await this.prepareBundle(meta);
    await rm(exitFile(meta.id), { force: true });
    return launchMonitor({
      id: meta.id,
      name: meta.name,
      tty: meta.tty,
      stdinOpen: meta.stdinOpen,
      logSizeMax: conmonLogSizeMax(logPolicyFor(meta.service, `container ${meta.name}`)),
    });
  }

  /** The rootfs, config.json and network sandbox again, if a reboot or a half-done removal lost them. */
  private async prepareBundle(meta: ContainerMeta): Promise<void> {
    if (meta.sandbox) await this.net.restoreSandbox?.(meta.id);
    const config = join(bundleDir(meta.id), 'config.json');
    // Either call (re)creates the bundle directory.
    if (meta.hostRootfs) await prepareHostRootfs(meta.id);
    else await mountOverlay(meta.id, meta.layers);
    const joined = await withPeerNetns(meta);
    if (joined) await writeFile(config, JSON.stringify(joined, null, 1));
    else if (
      !(await access(config).then(
        () => true,
        () => false,
      ))
    ) {
      await writeFile(config, JSON.stringify(meta.spec, null, 1));
    }
  }

  /**
   * `runc run` in the foreground with this process's stdio: runc makes the terminal when the container has
   * a TTY (and puts ours in raw mode), forwards signals, and deletes its record when the process ends. No
   * conmon, so the output is not kept for `logs`; cmp writes the exit file conmon would have.
   */
  async runAttached(id: string): Promise<number> {
    await this.net.flush?.();
    const meta = await this.need(id);
    await this.prepareBundle(meta);
    await rm(exitFile(meta.id), { force: true });
    const child = spawn(RUNC, ['--root', runcRoot(), 'run', '--bundle', bundleDir(meta.id), meta.id], {
      stdio: 'inherit',
    });
    const ended = new Promise<number>((resolve) => {
      child.on('error', () => resolve(127));
      child.on('close', (code, sig) => resolve(code ?? 128 + (sig ? (osConstants.signals[sig] ?? 9) : 9)));
    });
    await this.recordStart(meta.id, hasHealthcheck(meta));
    let published = false;
    if (meta.sandbox && meta.publish.length > 0) {
      // Published once the process runs (runc has joined it to its namespaces by then).
      const until = Date.now() + 5000;
      while (Date.now() < until && (await runcState(meta.id))?.status !== 'running') await sleep(5);
      try {
        const ports = await this.publishPorts(meta.id, meta.publish);
        published = true;
        await updateMeta(meta.id, (m) => {
          m.ports = ports;
        });
      } catch (e) {
        child.kill('SIGKILL');
        await ended;
        throw e;
      }
    }
    const code = await ended;
    await writeFile(exitFile(meta.id), String(code));
    await this.markFinished(meta.id);
    if (published) await this.unpublishPorts(meta.id).catch(() => undefined);
    return code;
  }

  /**
   * Health is "starting" from the first instant of a run with a healthcheck, so a dependent waiting on
   * service_healthy never mistakes a fresh container for one without a healthcheck.
   */
  private async recordStart(id: string, checked: boolean): Promise<void> {
    await updateMeta(id, (m) => {
      m.startedAt = Date.now();
      delete m.finishedAt;
      delete m.stoppedByUser;
      delete m.restartPending;
      if (checked) m.health = 'starting';
      else delete m.health;
    });
  }

  /** A start that failed leaves the record as it was before it. */
  private async unrecordStart(before: ContainerMeta): Promise<void> {
    await updateMeta(before.id, (m) => {
      for (const k of ['startedAt', 'finishedAt', 'stoppedByUser', 'restartPending', 'health'] as const) {
        if (before[k] === undefined) delete m[k];
        else (m as unknown as Record<string, unknown>)[k] = before[k];
      }
    });
  }

  /** Starts a container runc holds in its created state; false if there is none to start. */
  private async startCreated(id: string): Promise<boolean> {
    try {
      return await releaseCreated(id);
    } catch {
      // Its waiting process died (killed, or the host's /run was lost): the slow path makes a new one.
      return false;
    }
  }

  async flush(): Promise<void> {
    await this.net.flush?.();
  }

  async startContainer(id: string): Promise<void> {
    // A network made by this process may still be getting its firewall rules: nothing runs before them.
    await this.net.flush?.();
    const meta = await this.need(id);
    const checked = hasHealthcheck(meta);
    let started = false;
    if (await runcIsCreated(meta.id)) {
      // Recorded as started while the created process is released: the start is done one write sooner.
      // Only here: a record saying "started" over an exited container would look like a new exit to the
      // supervisor, so the slow path below records the start once it has happened.
      const [released] = await Promise.all([this.startCreated(meta.id), this.recordStart(meta.id, checked)]);
      if (released) started = true;
      else await this.unrecordStart(meta);
    }
    if (!started) {
      const rs = await runcState(meta.id);
      if (rs?.status === 'running' || rs?.status === 'paused') return;
      // A finished run leaves runc's record (and its cgroups) behind until deleted.
      if (rs) await runcDelete(meta.id);
      // After a reboot /run is empty: launch rebuilds the bundle from the record.
      await this.launch(meta);
      try {
        await runcStart(meta.id);
      } catch (e) {
        await runcDelete(meta.id);
        throw e;
      }
      await this.recordStart(meta.id, checked);
    }
    if (meta.sandbox && meta.publish.length > 0) {
      let ports;
      try {
        ports = await this.publishPorts(meta.id, meta.publish);
      } catch (e) {
        // A container whose ports cannot be published must not stay up half-working.
        await runcKill(meta.id, 'SIGKILL').catch(() => undefined);
        await this.waitStopped(meta.id, Date.now() + 10_000);
        await this.markFinished(meta.id);
        throw e;
      }
      await updateMeta(meta.id, (m) => {
        m.ports = ports;
      });
    }
  }

  /**
   * Port forwarding must live in a process that outlasts the command: the supervised runtime sends this to
   * the project's supervisor. Here (tests, in-process use) the calling process holds the proxies.
   */
  protected publishPorts(id: string, ports: PortConfig[]): Promise<PublishedPort[]> {
    return this.net.publish(id, ports);
  }

  protected unpublishPorts(id: string): Promise<void> {
    return this.net.unpublish(id);
  }

  /**
   * Marks a container as stopped on purpose, before the stop, so a supervisor never races to restart it;
   * the signal about to be sent goes into the record's action journal.
   */
  private async markStoppedByUser(id: string, signal?: string): Promise<void> {
    await updateMeta(id, (m) => {
      m.stoppedByUser = true;
      if (signal) noteAction(m, 'kill', signal);
    });
  }

  /** Polls until the container is no longer running; false if the deadline passed first. */
  private async waitStopped(id: string, deadline: number): Promise<boolean> {
    for (;;) {
      // Cheap enough to ask every few ms (a file and /proc, no runc), so a stop returns as soon as it is done.
      if (await runcGone(id)) {
        // conmon writes the exit file just after reaping: wait for it, as any listing would, so callers see the code.
        await awaitExit(id);
        return true;
      }
      if (Date.now() >= deadline) return false;
      await sleep(STOP_POLL_MS);
    }
  }

  private async markFinished(id: string, stopped = false): Promise<void> {
    // When the process ended (conmon's exit file), not when a caller noticed: that can be a poll later.
    const at = (await readExit(id))?.at ?? Date.now();
    await updateMeta(id, (m) => {
      m.finishedAt = m.finishedAt ?? at;
      if (stopped) noteAction(m, 'stop');
    });
  }

  async stopContainer(id: string, opts: StopOptions): Promise<void> {
    const meta = await this.need(id);
    const rs = await runcState(meta.id);
    if (!rs || (rs.status !== 'running' && rs.status !== 'paused')) {
      await this.markStoppedByUser(meta.id);
      // It ended on its own: what it published is let go now, if no supervisor did so at its exit.
      if (meta.sandbox && meta.publish.length > 0) await this.unpublishPorts(meta.id).catch(() => undefined);
      return;
    }
    const signal = opts.signal ?? meta.stopSignal ?? 'SIGTERM';
    await this.markStoppedByUser(meta.id, signal);
    if (rs.status === 'paused') await runcResume(meta.id);
    await runcKill(meta.id, signal).catch(() => undefined);
    if (!(await this.waitStopped(meta.id, Date.now() + opts.timeoutMs))) {
      await updateMeta(meta.id, (m) => noteAction(m, 'kill', 'SIGKILL'));
      await runcKill(meta.id, 'SIGKILL').catch(() => undefined);
      await this.waitStopped(meta.id, Date.now() + 10_000);
    }
    await this.markFinished(meta.id, true);
    if (meta.sandbox && meta.publish.length > 0) await this.unpublishPorts(meta.id);
  }

  async killContainer(id: string, signal: string): Promise<void> {
    const meta = await this.need(id);
    const rs = await runcState(meta.id);
    if (!rs || (rs.status !== 'running' && rs.status !== 'paused')) {
      throw new RuntimeError(`container ${meta.name} is not running`);
    }
    await this.markStoppedByUser(meta.id, signal);
    await runcKill(meta.id, signal);
  }

  async removeContainer(id: string, opts: { force: boolean; volumes: boolean }): Promise<void> {
    const meta = await this.need(id);
    const rs = await runcState(meta.id);
    if (rs && (rs.status === 'running' || rs.status === 'paused')) {
      if (!opts.force) {
        throw new RuntimeError(`container ${meta.name} is running`, {
          hint: 'stop it first, or force removal',
        });
      }
      if (rs.status === 'paused') await runcResume(meta.id).catch(() => undefined);
      await runcKill(meta.id, 'SIGKILL').catch(() => undefined);
      await this.waitStopped(meta.id, Date.now() + 10_000);
    }
    await this.teardown(meta.id, meta.sandbox);
    if (opts.volumes) for (const v of meta.anonymousVolumes) await volumes.removeVolume(v);
  }

  /** Everything made for a container whose process has ended, record last; each step safe to repeat. */
  private async teardown(id: string, sandbox: boolean): Promise<void> {
    await runcForget(id);
    if (sandbox) {
      await this.unpublishPorts(id).catch(() => undefined);
      await this.net.destroySandbox(id);
    }
    await removeBundle(id, bundleDir(id));
    await removeCgroups(id);
    // conmon's link to the bundle for attach sockets; left behind, one per container ever made piled up.
    await rm(join(socketDir(), id), { force: true });
    // conmon may still be writing its exit file as it goes: retry a directory that is briefly not empty.
    await rm(containerDir(id), { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }

  async renameContainer(id: string, name: string): Promise<void> {
    const meta = await this.need(id);
    const clash = (await listMeta()).find((m) => m.name === name && m.id !== meta.id);
    if (clash) throw new RuntimeError(`container name "${name}" is already in use`);
    await updateMeta(meta.id, (m) => {
      m.name = name;
    });
  }

  async inspectContainer(id: string): Promise<ContainerState | undefined> {
    const meta = await this.find(id);
    return meta ? observe(meta) : undefined;
  }

  async pauseContainer(id: string): Promise<void> {
    await runcPause((await this.need(id)).id);
  }

  async unpauseContainer(id: string): Promise<void> {
    await runcResume((await this.need(id)).id);
  }

  /** The supervisor calls this when it restarts a container because of its restart policy. */
  async recordRestart(id: string): Promise<void> {
    await updateMeta((await this.need(id)).id, (m) => {
      m.restartCount += 1;
    });
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<number> {
    const meta = await this.need(id);
    for (;;) {
      if (signal?.aborted) throw new RuntimeError(`waiting for ${meta.name}: aborted`);
      const m = await readMeta(meta.id);
      if (!m) throw new RuntimeError(`container ${meta.name} was removed`);
      const st = await observe(m);
      // A run that ended with a restart pending has ended too: Docker's wait returns for it as well, and
      // attached `up` shows each run's exit.
      if (st.status === 'exited' || st.status === 'dead' || st.status === 'restarting') {
        if (m.finishedAt === undefined) await this.markFinished(m.id);
        return st.exitCode ?? 255;
      }
      await sleep(POLL_MS * 2);
    }
  }

  logs(id: string, opts: LogOptions): AsyncIterable<LogLine> {
    const need = (x: string): Promise<ContainerMeta> => this.need(x);
    return (async function* () {
      const meta = await need(id);
      const isRunning = async (): Promise<boolean> => {
        const rs = await runcState(meta.id);
        return rs?.status === 'running' || rs?.status === 'paused' || rs?.status === 'created';
      };
      yield* readLogs(logPath(meta.id), opts, isRunning);
    })();
  }

  async exec(id: string, req: ExecRequest): Promise<number> {
    return (await this.execRaw(id, req, false)).exitCode;
  }

  /** exec with stdout/stderr captured: what healthchecks need. */
  async execCapture(id: string, req: ExecRequest): Promise<ExecResult> {
    return this.execRaw(id, req, true);
  }

  private async execRaw(id: string, req: ExecRequest, capture: boolean): Promise<ExecResult> {
    const meta = await this.need(id);
    const rs = await runcState(meta.id);
    if (rs?.status !== 'running') throw new RuntimeError(`container ${meta.name} is not running`);
    return execIn(meta, req, capture);
  }

  async copyTo(id: string, files: CopyItem[], deletions: string[]): Promise<void> {
    const meta = await this.need(id);
    const rs = await runcState(meta.id);
    await copyIntoContainer(meta, rs?.status === 'running' ? rs.pid : undefined, files, deletions);
  }

  /** Where cp finds the container's files: its running init's root (volumes included), else its rootfs. */
  private async filesRoot(meta: ContainerMeta): Promise<string> {
    const rs = await runcState(meta.id);
    if (rs?.status === 'running' && rs.pid) return `/proc/${rs.pid}/root`;
    return this.rootfsOf(meta);
  }

  private async rootfsOf(meta: ContainerMeta): Promise<string> {
    if (meta.hostRootfs)
      throw new RuntimeError(`container ${meta.name} runs on the host's own root, which is not its to copy`, {
        hint: 'copy from a volume or a mount of the container instead',
      });
    return mountOverlay(meta.id, meta.layers);
  }

  async copyFromContainer(id: string, src: string, dest: string, opts: CopyOptions): Promise<void> {
    const meta = await this.need(id);
    const { copyOut } = await import('./containers/transfer.js');
    await copyOut(await this.filesRoot(meta), src, dest, opts);
  }

  async copyToContainer(id: string, src: string, dest: string, opts: CopyOptions): Promise<void> {
    const meta = await this.need(id);
    const { copyIn } = await import('./containers/transfer.js');
    await copyIn(await this.filesRoot(meta), src, dest, opts);
  }

  async exportContainer(id: string): Promise<NodeJS.ReadableStream> {
    const meta = await this.need(id);
    const { tarStream } = await import('./containers/transfer.js');
    return tarStream(await this.rootfsOf(meta));
  }

  async containerStats(id: string): Promise<ContainerStats | undefined> {
    const meta = await this.need(id);
    const rs = await runcState(meta.id);
    if (rs?.status !== 'running' && rs?.status !== 'paused') return undefined;
    if (!rs.pid) return undefined;
    const { readStats } = await import('./containers/stats.js');
    return readStats(rs.pid);
  }

  /** A poll-based stream of container state changes (create, start, die, destroy, pause, unpause). */
  events(signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    return (async function* () {
      // Status and the run's start time: a restart quicker than one poll shows only as a new start time.
      const seen = new Map<string, { status: string; startedAt: number | undefined; seq: number }>();
      let first = true;
      while (!signal.aborted) {
        const now = new Map<string, { status: string; startedAt: number | undefined; meta: ContainerMeta }>();
        const metas = await listMeta();
        const runc = await runcStates();
        for (const m of metas)
          now.set(m.id, { status: (await observe(m, runc)).status, startedAt: m.startedAt, meta: m });
        const out: RuntimeEvent[] = [];
        const ev = (action: string, m: ContainerMeta, extra: Record<string, string> = {}): RuntimeEvent => ({
          time: Date.now(),
          type: 'container',
          action,
          id: m.id,
          attributes: { ...m.labels, name: m.name, image: m.image, ...extra },
        });
        if (!first) {
          for (const [id, { status, startedAt, meta }] of now) {
            const prev = seen.get(id);
            const before = prev?.status;
            const newRun = prev !== undefined && prev.startedAt !== undefined && startedAt !== prev.startedAt;
            // Docker's order: the signals sent, then the exit, then the stop that asked for them.
            const asked = prev ? (meta.actions ?? []).filter((a) => a.seq > prev.seq) : [];
            for (const a of asked.filter((x) => x.action === 'kill'))
              out.push(ev('kill', meta, { signal: signalNumber(a.signal) }));
            const stops = asked.filter((x) => x.action === 'stop').map(() => ev('stop', meta));
            if (before === status && !newRun) {
              out.push(...stops);
              continue;
            }
            if (before === undefined) out.push(ev('create', meta));
            const ended = status === 'exited' || status === 'restarting';
            // The previous run died even if we never saw it stopped: it was replaced by a new one.
            if (before !== undefined && (ended || (newRun && before === 'running')))
              out.push(ev('die', meta));
            if (status === 'running' && before === 'paused') out.push(ev('unpause', meta));
            else if (status === 'running') out.push(ev('start', meta));
            else if (status === 'paused') out.push(ev('pause', meta));
            out.push(...stops);
          }
          for (const id of seen.keys()) {
            if (!now.has(id)) {
              out.push({ time: Date.now(), type: 'container', action: 'destroy', id, attributes: {} });
            }
          }
        }
        seen.clear();
        for (const [id, v] of now)
          seen.set(id, { status: v.status, startedAt: v.startedAt, seq: v.meta.actions?.at(-1)?.seq ?? 0 });
        first = false;
        for (const e of out) yield e;
        await sleep(500);
      }
    })();
  }
}

function hasHealthcheck(meta: ContainerMeta): boolean {
  return meta.service
    ? resolveHealthcheck(meta.service.healthcheck, meta.imageConfig?.healthcheck) !== undefined
    : false;
}

export { HOST_ROOTFS_IMAGE, isHostRootfsService, type ImageSource } from './containers/image-source.js';

/** Docker gives a kill event's signal as its number. */
function signalNumber(name: string | undefined): string {
  const n = name
    ? (osConstants.signals as Record<string, number>)[name.startsWith('SIG') ? name : `SIG${name}`]
    : undefined;
  return n !== undefined ? String(n) : (name ?? '');
}
