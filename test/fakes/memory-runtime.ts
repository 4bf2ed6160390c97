// An in-memory Runtime for engine tests: containers, networks and volumes live in maps, labels are honoured,
// and each service's containers follow a script (exit after T ms, healthy after T ms, fail to start).
// Every operation is recorded with its start and end time so tests can see order and overlap.
import { createHash } from 'node:crypto';
import type {
  ContainerCreateRequest,
  ContainerState,
  ExecRequest,
  ImageConfig,
  ImageInfo,
  LogLine,
  NetworkCreateRequest,
  NetworkState,
  PullPolicy,
  Runtime,
  RuntimeEvent,
  StopOptions,
  VolumeCreateRequest,
  VolumeState,
} from '../../src/runtime/types.js';
import { LABEL } from '../../src/runtime/types.js';
import { RuntimeError } from '../../src/util/errors.js';
import { hasHealthcheck } from '../../src/plan/service-facts.js';

export interface Behaviour {
  /** The main process exits by itself this long after start. */
  exitAfterMs?: number;
  exitCode?: number;
  /** With a healthcheck: reports healthy (or unhealthy) this long after start. Default healthy after 5 ms. */
  healthyAfterMs?: number;
  unhealthyAfterMs?: number;
  /** startContainer rejects with this message. */
  failStart?: string;
  /** startContainer takes this long (so parallel starts overlap visibly). */
  startDelayMs?: number;
  stopDelayMs?: number;
}

export interface OpRecord {
  op: string;
  /** Container, network, volume name or image reference. */
  target: string;
  start: number;
  end: number;
  detail?: string;
}

interface Box {
  state: ContainerState;
  healthcheck: boolean;
  timers: NodeJS.Timeout[];
  waiters: Array<(code: number) => void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class MemoryRuntime implements Runtime {
  readonly kind = 'memory';
  readonly ops: OpRecord[] = [];
  private readonly containers = new Map<string, Box>();
  private readonly networks = new Map<string, NetworkState>();
  private readonly volumes = new Map<string, VolumeState>();
  private readonly images = new Map<string, ImageInfo>();
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly unpullable = new Set<string>();
  private seq = 0;

  /** Script the containers of a service (or a single container by name). */
  behave(serviceOrName: string, b: Behaviour): this {
    this.behaviours.set(serviceOrName, b);
    return this;
  }

  addImage(ref: string, config: ImageConfig = {}, id?: string): ImageInfo {
    const info: ImageInfo = {
      ref,
      id: id ?? `sha256:${createHash('sha256').update(ref).digest('hex')}`,
      config,
    };
    this.images.set(ref, info);
    return info;
  }

  /** Pulls of this reference fail as if the registry did not have it. */
  refusePull(ref: string): this {
    this.unpullable.add(ref);
    return this;
  }

  addNetwork(name: string, labels: Record<string, string> = {}): void {
    this.networks.set(name, {
      id: `net-${++this.seq}`,
      name,
      labels,
      driver: 'bridge',
      internal: false,
      subnets: [],
    });
  }

  addVolume(name: string, labels: Record<string, string> = {}): void {
    this.volumes.set(name, { name, labels, driver: 'local' });
  }

  /** Change a container's state from outside, as a crash or a manual `docker stop` would. */
  setState(name: string, patch: Partial<ContainerState>): void {
    const box = this.byName(name);
    if (!box) throw new Error(`no container ${name}`);
    Object.assign(box.state, patch);
    if (patch.status && patch.status !== 'running') this.settle(box);
  }

  opsOf(op: string): OpRecord[] {
    return this.ops.filter((o) => o.op === op);
  }

  /** Cancels every scripted timer so a test leaves nothing running. */
  dispose(): void {
    for (const box of this.containers.values()) this.clearTimers(box);
  }

  private async record<T>(op: string, target: string, fn: () => Promise<T> | T, detail?: string): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.ops.push({
        op,
        target,
        start,
        end: performance.now(),
        ...(detail === undefined ? {} : { detail }),
      });
    }
  }

  private byName(name: string): Box | undefined {
    return [...this.containers.values()].find((b) => b.state.name === name);
  }

  private box(id: string): Box {
    const box = this.containers.get(id) ?? this.byName(id);
    if (!box) throw new RuntimeError(`No such container: ${id}`);
    return box;
  }

  private behaviourOf(box: Box): Behaviour {
    return (
      this.behaviours.get(box.state.name) ?? this.behaviours.get(box.state.labels[LABEL.service] ?? '') ?? {}
    );
  }

  private clearTimers(box: Box): void {
    for (const t of box.timers) clearTimeout(t);
    box.timers = [];
  }

  private settle(box: Box): void {
    this.clearTimers(box);
    const code = box.state.exitCode ?? 0;
    for (const w of box.waiters.splice(0)) w(code);
  }

  async ensureImage(ref: string, policy: PullPolicy): Promise<ImageInfo> {
    return this.record(
      'ensureImage',
      ref,
      () => {
        const have = this.images.get(ref);
        if (have && policy !== 'always') return have;
        if (policy === 'never' || policy === 'build') {
          if (have) return have;
          throw new RuntimeError(`image ${ref} not found`);
        }
        if (this.unpullable.has(ref)) throw new RuntimeError(`pull access denied for ${ref}`);
        this.ops.push({ op: 'pull', target: ref, start: performance.now(), end: performance.now() });
        return have ?? this.addImage(ref);
      },
      policy,
    );
  }

  async inspectImage(ref: string): Promise<ImageInfo | undefined> {
    return this.images.get(ref);
  }

  async removeImage(ref: string): Promise<void> {
    this.images.delete(ref);
  }

  async listNetworks(project: string): Promise<NetworkState[]> {
    return [...this.networks.values()]
      .filter((n) => n.labels[LABEL.project] === project)
      .map((n) => structuredClone(n));
  }

  async createNetwork(req: NetworkCreateRequest): Promise<NetworkState> {
    return this.record('createNetwork', req.name, () => {
      if (this.networks.has(req.name)) throw new RuntimeError(`network with name ${req.name} already exists`);
      this.addNetwork(req.name, req.labels);
      return structuredClone(this.networks.get(req.name) as NetworkState);
    });
  }

  async removeNetwork(name: string): Promise<void> {
    await this.record('removeNetwork', name, () => {
      if (!this.networks.delete(name)) throw new RuntimeError(`network ${name} not found`);
    });
  }

  async inspectNetwork(name: string): Promise<NetworkState | undefined> {
    const n = this.networks.get(name);
    return n && structuredClone(n);
  }

  async listVolumes(project: string): Promise<VolumeState[]> {
    return [...this.volumes.values()]
      .filter((v) => v.labels[LABEL.project] === project)
      .map((v) => structuredClone(v));
  }

  async createVolume(req: VolumeCreateRequest): Promise<VolumeState> {
    return this.record('createVolume', req.name, () => {
      this.addVolume(req.name, req.labels);
      return structuredClone(this.volumes.get(req.name) as VolumeState);
    });
  }

  async removeVolume(name: string): Promise<void> {
    await this.record('removeVolume', name, () => {
      if (!this.volumes.delete(name)) throw new RuntimeError(`volume ${name} not found`);
    });
  }

  async inspectVolume(name: string): Promise<VolumeState | undefined> {
    const v = this.volumes.get(name);
    return v && structuredClone(v);
  }

  async listProjects(): Promise<string[]> {
    const names = [...this.containers.values()].map((b) => b.state.labels[LABEL.project] ?? '');
    return [...new Set(names.filter((n) => n !== ''))].sort();
  }

  async listContainers(project: string, opts: { all: boolean }): Promise<ContainerState[]> {
    return [...this.containers.values()]
      .map((b) => b.state)
      .filter((c) => c.labels[LABEL.project] === project && (opts.all || c.status === 'running'))
      .map((c) => structuredClone(c));
  }

  async createContainer(req: ContainerCreateRequest): Promise<ContainerState> {
    return this.record('createContainer', req.name, () => {
      if (this.byName(req.name))
        throw new RuntimeError(`Conflict. The container name "/${req.name}" is already in use`);
      const id = createHash('sha256').update(`${req.name}-${++this.seq}`).digest('hex');
      const state: ContainerState = {
        id,
        name: req.name,
        labels: { ...req.labels },
        image: req.image.ref,
        command: (req.command ?? req.service.command ?? req.image.config.cmd ?? []).join(' '),
        status: 'created',
        restartCount: 0,
        createdAt: Date.now() + this.seq / 1000,
        networks: req.networks.map((n) => ({ network: n.network, aliases: [...n.aliases] })),
        ports: [],
      };
      const healthcheck = hasHealthcheck(req.service, req.image.config) === true;
      this.containers.set(id, { state, healthcheck, timers: [], waiters: [] });
      return structuredClone(state);
    });
  }

  async startContainer(id: string): Promise<void> {
    const box = this.box(id);
    await this.record('startContainer', box.state.name, async () => {
      const b = this.behaviourOf(box);
      if (b.startDelayMs) await sleep(b.startDelayMs);
      if (b.failStart) throw new RuntimeError(b.failStart);
      if (box.state.status === 'running') return;
      Object.assign(box.state, {
        status: 'running',
        startedAt: Date.now(),
        exitCode: undefined,
        finishedAt: undefined,
      });
      box.state.health = box.healthcheck ? 'starting' : undefined;
      if (box.healthcheck) {
        if (b.unhealthyAfterMs !== undefined) {
          box.timers.push(setTimeout(() => (box.state.health = 'unhealthy'), b.unhealthyAfterMs));
        } else {
          box.timers.push(setTimeout(() => (box.state.health = 'healthy'), b.healthyAfterMs ?? 5));
        }
      }
      if (b.exitAfterMs !== undefined) {
        box.timers.push(
          setTimeout(() => {
            Object.assign(box.state, { status: 'exited', exitCode: b.exitCode ?? 0, finishedAt: Date.now() });
            this.settle(box);
          }, b.exitAfterMs),
        );
      }
    });
  }

  async stopContainer(id: string, opts: StopOptions): Promise<void> {
    const box = this.box(id);
    await this.record(
      'stopContainer',
      box.state.name,
      async () => {
        const b = this.behaviourOf(box);
        if (b.stopDelayMs) await sleep(b.stopDelayMs);
        if (box.state.status !== 'running' && box.state.status !== 'paused') return;
        Object.assign(box.state, { status: 'exited', exitCode: 0, finishedAt: Date.now() });
        this.settle(box);
      },
      `${opts.signal ?? 'SIGTERM'} ${opts.timeoutMs}ms`,
    );
  }

  async killContainer(id: string, signal: string): Promise<void> {
    const box = this.box(id);
    await this.record(
      'killContainer',
      box.state.name,
      () => {
        Object.assign(box.state, { status: 'exited', exitCode: 137, finishedAt: Date.now() });
        this.settle(box);
      },
      signal,
    );
  }

  async removeContainer(id: string, opts: { force: boolean; volumes: boolean }): Promise<void> {
    const box = this.box(id);
    await this.record('removeContainer', box.state.name, () => {
      if (box.state.status === 'running' && !opts.force) {
        throw new RuntimeError(`cannot remove container "/${box.state.name}": container is running`);
      }
      this.settle(box);
      this.containers.delete(box.state.id);
    });
  }

  async renameContainer(id: string, name: string): Promise<void> {
    const box = this.box(id);
    await this.record(
      'renameContainer',
      name,
      () => {
        if (this.byName(name))
          throw new RuntimeError(`Conflict. The container name "/${name}" is already in use`);
        box.state.name = name;
      },
      box.state.name,
    );
  }

  async inspectContainer(id: string): Promise<ContainerState | undefined> {
    const box = this.containers.get(id) ?? this.byName(id);
    return box && structuredClone(box.state);
  }

  async pauseContainer(id: string): Promise<void> {
    this.box(id).state.status = 'paused';
  }

  async unpauseContainer(id: string): Promise<void> {
    this.box(id).state.status = 'running';
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<number> {
    const box = this.box(id);
    if (box.state.status !== 'running' && box.state.status !== 'restarting') return box.state.exitCode ?? 0;
    return new Promise<number>((resolve, reject) => {
      box.waiters.push(resolve);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  // eslint-disable-next-line require-yield
  async *logs(): AsyncIterable<LogLine> {
    return;
  }

  async exec(_id: string, _req: ExecRequest): Promise<number> {
    return 0;
  }

  // eslint-disable-next-line require-yield
  async *events(_signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    return;
  }
}
