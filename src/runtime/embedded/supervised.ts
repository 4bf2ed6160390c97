// The embedded runtime as the CLI uses it: every command that changes a project first makes sure the
// project's supervisor runs (it hosts DNS, port proxies, restart policies and healthchecks), and port
// forwarding is handed to the supervisor, the process that outlives the command.
import type { PortConfig, Project } from '../../model/types.js';
import { LABEL, type ContainerState, type PublishedPort } from '../types.js';
import { readMeta } from './containers/meta.js';
import { checkPortsFree } from './net/ports.js';
import { NetStateStore } from './net/state.js';
import { isCmpError, ModelError } from '../../util/errors.js';
import { EmbeddedRuntime } from './runtime.js';

export class SupervisedRuntime extends EmbeddedRuntime {
  /** The supervisor's start, begun by prepare(); container starts wait for it (they need its DNS). */
  private supervisorReady: Promise<void> | undefined;
  private readonly livenessCheckedAt = new Map<string, number>();
  private readonly dnsConfirmed = new Set<string>();

  async prepare(project: Project): Promise<void> {
    const { ensureSupervisor } = await import('./supervisor/control.js');
    // Not awaited here: networks, volumes and container creates go ahead while a new supervisor boots.
    this.supervisorReady = ensureSupervisor(project.name);
    this.supervisorReady.catch(() => undefined);
    // The caller holds the project lock: what a dead command or a damaged file left is cleared first.
    await this.repair(project);
  }

  override async startContainer(id: string): Promise<void> {
    if (this.supervisorReady) {
      await this.supervisorReady;
      await this.dnsReady(id);
    }
    return super.startContainer(id);
  }

  /** The container's name servers answer before it starts (each network's gateway asked for once). */
  private async dnsReady(id: string): Promise<void> {
    const meta = await readMeta(id);
    const project = meta?.labels[LABEL.project];
    if (!meta || !project) return;
    const store = new NetStateStore();
    const gateways: string[] = [];
    for (const n of meta.networks) {
      const rec = await store.network(n.network);
      // Another project's network is served by that project's supervisor.
      if (!rec || (rec.project && rec.project !== project)) continue;
      if (!this.dnsConfirmed.has(rec.gateway)) gateways.push(rec.gateway);
    }
    if (gateways.length === 0) return;
    const { awaitDns } = await import('./supervisor/control.js');
    await awaitDns(project, gateways);
    for (const g of gateways) this.dnsConfirmed.add(g);
  }

  /**
   * Health comes from the supervisor's probes. A command waiting on a `starting` container (up's
   * service_healthy, --wait) would wait forever if the supervisor died meanwhile, so while it waits it
   * makes sure, once a second at most, that the supervisor runs: a dead one is started again (it adopts
   * the containers and probes anew), or the command fails with the reason instead of hanging.
   */
  override async inspectContainer(id: string): Promise<ContainerState | undefined> {
    const state = await super.inspectContainer(id);
    const project = state?.labels[LABEL.project];
    if (state?.health === 'starting' && state.status === 'running' && project && this.supervisorReady) {
      const now = Date.now();
      if (now - (this.livenessCheckedAt.get(project) ?? 0) >= 1000) {
        this.livenessCheckedAt.set(project, now);
        const { ensureSupervisor } = await import('./supervisor/control.js');
        await ensureSupervisor(project);
      }
    }
    return state;
  }

  override async runAttached(id: string): Promise<number> {
    if (this.supervisorReady) await this.supervisorReady;
    return super.runAttached(id);
  }

  /** A command that only looks revives a dead supervisor, which then starts no container (`--adopt`). */
  async adopt(project: Project): Promise<void> {
    if ((await this.listContainers(project.name, { all: true })).length === 0) return;
    const { ensureSupervisor } = await import('./supervisor/control.js');
    await ensureSupervisor(project.name, { adopt: true });
  }

  async preflight(project: Project, services: string[]): Promise<void> {
    // Before anything is made: rules another process (or a person) removed come back with every `up`.
    this.net.reassert?.();
    // One-off containers are not replaced by `up`: what they hold stays held.
    const containers = (await this.listContainers(project.name, { all: true })).filter(
      (c) => c.labels[LABEL.oneoff] !== 'True',
    );
    const running = new Set(
      containers
        .filter((c) => c.status === 'running' || c.status === 'paused')
        .map((c) => c.labels[LABEL.service]),
    );
    const sandboxes = await new NetStateStore().sandboxes();
    const claimed = sandboxes.flatMap((sb) => sb.ports);
    for (const name of services) {
      const ports = project.services[name]?.ports ?? [];
      // A running container holds its ports already; only what will start must find them free.
      if (running.has(name) || ports.length === 0) continue;
      const mine = new Set(containers.filter((c) => c.labels[LABEL.service] === name).map((c) => c.id));
      const own = sandboxes.filter((sb) => mine.has(sb.containerId)).flatMap((sb) => sb.ports);
      try {
        await checkPortsFree(`${project.name}-${name}`, ports, claimed, own);
      } catch (e) {
        if (!isCmpError(e)) throw e;
        throw new ModelError(`services.${name}.ports: ${e.message}`, {
          location: { file: project.config_files[0] ?? project.working_dir, line: 0, col: 0 },
          ...(e.hint ? { hint: e.hint } : { hint: 'stop what holds the port, or publish another one' }),
        });
      }
    }
  }

  async release(project: Project): Promise<void> {
    // A supervisor still booting would otherwise miss the nudge and linger until its own empty ticks.
    await this.supervisorReady?.catch(() => undefined);
    const { nudgeSupervisor } = await import('./supervisor/control.js');
    await nudgeSupervisor(project.name);
  }

  protected override async publishPorts(id: string, ports: PortConfig[]): Promise<PublishedPort[]> {
    const { publishThroughSupervisor } = await import('./supervisor/control.js');
    return publishThroughSupervisor(await projectOf(id), id, ports);
  }

  protected override async unpublishPorts(id: string): Promise<void> {
    const { unpublishThroughSupervisor } = await import('./supervisor/control.js');
    await unpublishThroughSupervisor(await projectOf(id), id);
  }
}

async function projectOf(id: string): Promise<string> {
  return (await readMeta(id))?.labels[LABEL.project] ?? '';
}
