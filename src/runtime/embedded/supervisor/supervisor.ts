// The long-lived half of the embedded runtime for one project: restart policies, healthchecks and the
// port proxies. Everything it decides comes from the pure deciders in src/supervise/; everything it
// knows comes from the containers' records on disk, so a new supervisor adopts what an old one left.
import { LABEL, type ContainerState } from '../../types.js';
import type { EmbeddedRuntime } from '../runtime.js';
import { readMeta, updateMeta } from '../containers/meta.js';
import { LogRotator } from '../containers/log-rotate.js';
import type { NetworkBackend } from '../net/types.js';
import type { PortConfig } from '../../../model/types.js';
import type { PublishedPort } from '../../types.js';
import { decideRestart, FRESH_COUNTERS, type RestartCounters } from '../../../supervise/restart-decider.js';
import { resolveRestartPolicy } from '../../../supervise/restart-policy.js';
import { resolveHealthcheck } from '../../../supervise/healthcheck-config.js';
import { initialHealth, onProbeResult, type HealthState } from '../../../supervise/health-state.js';
import {
  onUnhealthy,
  resolveUnhealthyRestart,
  type UnhealthyHistory,
} from '../../../supervise/unhealthy-restart.js';
import { bootOrder } from './boot-order.js';
import { inBackground } from '../../../util/background.js';
import { containersToStartOnBoot, type BootCandidate } from '../../../supervise/boot.js';

interface Tracked {
  /** The run we are watching, by its start time; a new run resets health. */
  startedAt: number | undefined;
  /** The exit of this run has been handled (restart scheduled or decided against). */
  exitHandled: boolean;
  health?: HealthState;
  probeTimer?: NodeJS.Timeout;
  restartTimer?: NodeJS.Timeout;
  unhealthy: UnhealthyHistory;
  /** A restart is being carried out: its run is judged only once startContainer has recorded it. */
  restarting?: boolean;
}

export interface SupervisorOptions {
  project: string;
  runtime: EmbeddedRuntime;
  net: NetworkBackend;
  log: (line: string) => void;
  /** Called when the project has no containers left. */
  onEmpty: () => void;
  /**
   * Runs fn holding the project's lock, or answers false at once when a command holds it. Restarts run
   * under it, so a user's stop, rm or down (which mark or remove the container under the same lock) and
   * a restart the supervisor decided earlier never interleave: the user wins. Without it (in-process
   * tests), restarts just run.
   */
  tryExclusive?: (fn: () => Promise<void>) => Promise<boolean>;
  tickMs?: number;
}

/** How soon a restart that found the project busy with a command looks again. */
const BUSY_RETRY_MS = 250;

export class Supervisor {
  private readonly tracked = new Map<string, Tracked>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private emptyTicks = 0;
  private stopped = false;
  /** Rotates the containers' logs (`logging.options`); conmon alone can only drop them. */
  private readonly logs: LogRotator;

  constructor(private readonly o: SupervisorOptions) {
    this.logs = new LogRotator({ log: o.log });
  }

  /**
   * Adopts what is there: re-opens port proxies of running containers, then starts what must run again,
   * unless `startContainers` is false (a supervisor revived by a command that only looks, such as `ps`:
   * such a command never starts containers; `cmp system boot` and the next `up` do).
   */
  async boot(opts: { startContainers: boolean } = { startContainers: true }): Promise<void> {
    const containers = await this.o.runtime.listContainers(this.o.project, { all: true });
    for (const c of containers) {
      const meta = await readMeta(c.id);
      if (!meta) continue;
      const t = this.track(c);
      if (c.status === 'running' && meta.publish.length > 0 && meta.sandbox) {
        await this.publish(c.id, meta.publish).catch((e: unknown) =>
          this.o.log(`ports of ${c.name}: ${String(e)}`),
        );
      }
      if (c.status === 'exited') t.exitHandled = true;
    }
    if (opts.startContainers) await this.startOnBoot(containers);
    this.timer = setInterval(() => this.background('scan', () => this.tick()), this.o.tickMs ?? 200);
  }

  /**
   * Starts, dependencies first, the containers that are down and whose restart policy brings them back
   * after a reboot (`cmp system boot` asks for this of a supervisor that may have adopted them earlier).
   */
  async startOnBoot(seen?: ContainerState[]): Promise<void> {
    const containers = seen ?? (await this.o.runtime.listContainers(this.o.project, { all: true }));
    const candidates: (BootCandidate & { container: ContainerState })[] = [];
    for (const c of containers) {
      if (c.status !== 'exited') continue;
      const meta = await readMeta(c.id);
      if (!meta?.service) continue;
      candidates.push({
        container: c,
        policy: resolveRestartPolicy(meta.service),
        running: false,
        exitCode: c.exitCode ?? 0,
        counters: this.counters(meta),
        stoppedByUser: meta.stoppedByUser === true,
      });
    }
    const starts = containersToStartOnBoot(candidates, Date.now()).map((s) => s.container);
    // Dependencies first, as `up` would: a restarted web must find its db already there.
    for (const c of bootOrder(starts)) {
      this.o.log(`boot: starting ${c.name} again (restart policy)`);
      await this.o.runtime
        .startContainer(c.id)
        .catch((e: unknown) => this.o.log(`boot start ${c.name}: ${String(e)}`));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    for (const t of this.tracked.values()) {
      clearTimeout(t.probeTimer);
      clearTimeout(t.restartTimer);
    }
  }

  async publish(id: string, ports: PortConfig[]): Promise<PublishedPort[]> {
    return this.o.net.publish(id, ports);
  }

  async unpublish(id: string): Promise<void> {
    await this.o.net.unpublish(id);
  }

  /** One look at every container; overlapping calls share the run in flight. */
  tick(): Promise<void> {
    this.ticking ??= this.scan()
      .catch((e: unknown) => this.o.log(`scan: ${String(e)}`))
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  /** Timer-driven work: an escaped rejection would end the process that serves the whole project. */
  private background(what: string, work: () => Promise<void>): void {
    inBackground(what, work, this.o.log);
  }

  /** A restart after `delayMs`, under the project lock; while a command holds it, tried again shortly. */
  private later(t: Tracked, what: string, delayMs: number, restart: () => Promise<void>): void {
    t.restartTimer = setTimeout(() => {
      t.restartTimer = undefined;
      this.background(what, async () => {
        if (this.stopped) return;
        const ran = this.o.tryExclusive ? await this.o.tryExclusive(restart) : (await restart(), true);
        if (!ran) this.later(t, what, BUSY_RETRY_MS, restart);
      });
    }, delayMs);
  }

  private track(c: ContainerState): Tracked {
    let t = this.tracked.get(c.id);
    if (!t) {
      t = { startedAt: c.startedAt, exitHandled: false, unhealthy: { restarts: [] } };
      this.tracked.set(c.id, t);
    }
    return t;
  }

  private counters(meta: { restartCounters?: RestartCounters; restartCount: number }): RestartCounters {
    return meta.restartCounters ?? { ...FRESH_COUNTERS, restartCount: meta.restartCount };
  }

  private async scan(): Promise<void> {
    if (this.stopped) return;
    const containers = await this.o.runtime.listContainers(this.o.project, { all: true });
    const seen = new Set(containers.map((c) => c.id));
    for (const [id, t] of this.tracked) {
      if (!seen.has(id)) {
        clearTimeout(t.probeTimer);
        clearTimeout(t.restartTimer);
        this.tracked.delete(id);
        await this.o.net.unpublish(id).catch(() => undefined);
      }
    }
    if (containers.length === 0) {
      // Two empty looks in a row: a recreate may briefly leave none.
      if (++this.emptyTicks >= 2) this.o.onEmpty();
      return;
    }
    this.emptyTicks = 0;
    for (const c of containers) await this.observe(c);
    await this.logs.check(containers);
  }

  private async observe(c: ContainerState): Promise<void> {
    const t = this.track(c);
    if (t.restarting) return;
    if (c.startedAt !== t.startedAt) {
      // A new run (started by a command or by us): fresh health, its exit not yet handled.
      clearTimeout(t.probeTimer);
      t.probeTimer = undefined;
      delete t.health;
      t.startedAt = c.startedAt;
      t.exitHandled = false;
    }
    if (c.status === 'running') {
      if (!t.health) await this.startHealth(c, t);
      return;
    }
    if ((c.status === 'exited' || c.status === 'restarting') && !t.exitHandled && !t.restartTimer) {
      t.exitHandled = true;
      clearTimeout(t.probeTimer);
      t.probeTimer = undefined;
      await this.onExit(c, t);
    }
  }

  private async onExit(c: ContainerState, t: Tracked): Promise<void> {
    const meta = await readMeta(c.id);
    if (!meta?.service) return;
    const now = Date.now();
    const decision = decideRestart({
      policy: resolveRestartPolicy(meta.service),
      exit: {
        exitCode: c.exitCode ?? 255,
        byUser: meta.stoppedByUser === true,
        ranMs: (c.finishedAt ?? now) - (c.startedAt ?? now),
      },
      counters: this.counters(meta),
      stoppedByUser: meta.stoppedByUser === true,
      boot: false,
      now,
    });
    await updateMeta(c.id, (m) => {
      m.restartCounters = decision.counters;
      if (decision.action === 'restart') m.restartPending = true;
    });
    if (decision.action === 'stay-stopped') {
      this.o.log(`${c.name} exited with code ${c.exitCode ?? '?'}: stays stopped (${decision.reason})`);
      // As with Docker, a container that is down holds no host port; a start publishes them again.
      if (meta.publish.length > 0) await this.o.net.unpublish(c.id).catch(() => undefined);
      return;
    }
    this.o.log(
      `${c.name} exited with code ${c.exitCode ?? '?'}: restart ${decision.attempt} in ${decision.delayMs} ms`,
    );
    this.later(t, `restart of ${c.name}`, decision.delayMs, () => this.restartNow(c, decision.counters));
  }

  private async restartNow(c: ContainerState, counters: RestartCounters): Promise<void> {
    if (this.stopped) return;
    const meta = await readMeta(c.id);
    // Removed, or stopped by the user while we waited: the user wins.
    if (!meta || meta.stoppedByUser) {
      if (meta) await updateMeta(c.id, (m) => void delete m.restartPending);
      return;
    }
    const t = this.tracked.get(c.id);
    if (t) t.restarting = true;
    try {
      // Counters first (the decider's already count this restart): a run that ends at once must be judged
      // with them, and nothing may write older ones after it.
      await updateMeta(c.id, (m) => {
        m.restartCount = counters.restartCount;
        m.restartCounters = counters;
      });
      await this.o.runtime.startContainer(c.id);
    } catch (e) {
      this.o.log(`restart of ${c.name} failed: ${String(e)}`);
    } finally {
      if (t) t.restarting = false;
    }
  }

  private async startHealth(c: ContainerState, t: Tracked): Promise<void> {
    const meta = await readMeta(c.id);
    if (!meta?.service) return;
    let config;
    try {
      config = resolveHealthcheck(meta.service.healthcheck, meta.imageConfig?.healthcheck);
    } catch (e) {
      this.o.log(`healthcheck of ${c.name}: ${String(e)}`);
      return;
    }
    t.health = initialHealth(config, c.startedAt ?? Date.now());
    if (!config) return;
    await updateMeta(c.id, (m) => {
      m.health = 'starting';
    });
    this.scheduleProbe(c, t);
  }

  private scheduleProbe(c: ContainerState, t: Tracked): void {
    const at = t.health?.nextProbeAt;
    if (at === undefined || this.stopped) return;
    t.probeTimer = setTimeout(
      () => this.background(`healthcheck of ${c.name}`, () => this.probe(c, t)),
      Math.max(0, at - Date.now()),
    );
  }

  private async probe(c: ContainerState, t: Tracked): Promise<void> {
    const state = t.health;
    const config = state?.config;
    if (!state || !config || this.stopped || t.startedAt !== c.startedAt) return;
    const command =
      config.probe.kind === 'exec' ? config.probe.argv : ['/bin/sh', '-c', config.probe.command];
    const startedAt = Date.now();
    let exitCode = 1;
    let output = '';
    let timedOut = false;
    try {
      const result = await Promise.race([
        this.o.runtime.execCapture(c.id, { command, tty: false, interactive: false }),
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), config.timeoutMs).unref()),
      ]);
      if (result === 'timeout') timedOut = true;
      else {
        exitCode = result.exitCode;
        output = result.stdout + result.stderr;
      }
    } catch (e) {
      // The container stopped under the probe: the next scan sees the exit.
      if (t.startedAt !== c.startedAt) return;
      output = String(e);
    }
    if (t.health !== state) return;
    const next = onProbeResult(state, { exitCode, startedAt, timedOut, output }, Date.now());
    t.health = next.state;
    if (next.changed) {
      const status = next.state.status === 'none' ? undefined : next.state.status;
      await updateMeta(c.id, (m) => {
        if (status) m.health = status;
      });
      this.o.log(`${c.name} is ${next.state.status}`);
      if (next.state.status === 'unhealthy') await this.onUnhealthy(c, t);
    }
    this.scheduleProbe(c, t);
  }

  private async onUnhealthy(c: ContainerState, t: Tracked): Promise<void> {
    const meta = await readMeta(c.id);
    if (!meta?.service) return;
    const decision = onUnhealthy(resolveUnhealthyRestart(meta.service), t.unhealthy, Date.now());
    t.unhealthy = decision.history;
    if (decision.action === 'stay') return;
    this.o.log(
      `${c.name} is unhealthy: restart ${decision.attempt} in ${decision.delayMs} ms (x-cmp.restart_unhealthy)`,
    );
    this.later(t, `unhealthy restart of ${c.name}`, decision.delayMs, () => this.restartUnhealthy(c, t));
  }

  private async restartUnhealthy(c: ContainerState, t: Tracked): Promise<void> {
    // Removed, stopped or restarted by the user while we waited: the user wins.
    const meta = await readMeta(c.id);
    if (this.stopped || !meta || meta.stoppedByUser || meta.startedAt !== t.startedAt) return;
    const stopSignal = meta.stopSignal;
    await this.o.runtime
      .stopContainer(c.id, { timeoutMs: 10_000, ...(stopSignal ? { signal: stopSignal } : {}) })
      .catch(() => undefined);
    // stopContainer marked a user stop; this one is ours, and startContainer clears the mark.
    await this.o.runtime.startContainer(c.id);
    await this.o.runtime.recordRestart(c.id);
  }
}

/** The service a container belongs to, for messages. */
export function serviceOf(c: ContainerState): string {
  return c.labels[LABEL.service] ?? c.name;
}
