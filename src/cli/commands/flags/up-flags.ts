// `cmp up`'s flags: read from commander's option object, checked for compose's conflicts, turned into
// engine options.
import type { EngineUpOptions } from '../../../engine/up.js';
import { buildGraph } from '../../../graph/dependency-graph.js';
import { withDependencies } from '../../../graph/select.js';
import type { Project } from '../../../model/types.js';
import { keepLocator } from '../../../model/source-locator.js';
import { UsageError } from '../../../util/errors.js';
import { checkServices } from '../common.js';
import { envTrue, scaleFlag, secondsFlag, stringList } from './values.js';

/** `--pull`'s values once read; absent means each service's own pull_policy (compose's "policy"). */
export type PullFlag = 'always' | 'missing' | 'never' | 'build';

export interface UpFlags {
  detach: boolean;
  wait: boolean;
  waitTimeoutMs?: number;
  build: boolean;
  noBuild: boolean;
  forceRecreate: boolean;
  noRecreate: boolean;
  alwaysRecreateDeps: boolean;
  noDeps: boolean;
  scale: Record<string, number>;
  removeOrphans: boolean;
  abortOnExit: boolean;
  abortOnFailure: boolean;
  exitCodeFrom?: string;
  timeoutMs?: number;
  color: boolean;
  logPrefix: boolean;
  timestamps: boolean;
  timeline: boolean;
  /** `--watch`; with -d (which compose rejects) the watching goes on in a background process. */
  watch?: boolean;
  /** `--no-start`: create networks, volumes and containers, start nothing. */
  noStart: boolean;
  /** `--pull`, over every service's pull_policy. */
  pull?: PullFlag;
  /** `--attach S` (repeatable): follow only these services. */
  attach: string[];
  /** `--no-attach S` (repeatable): never follow these. */
  noAttach: string[];
  attachDependencies: boolean;
  /** The global `--all-resources`. */
  allResources?: boolean;
}

/** Commander's option values (see program.ts) → typed flags; the values themselves are validated here. */
export function readUpFlags(o: Record<string, unknown>): UpFlags {
  const flags: UpFlags = {
    detach: o.detach === true,
    wait: o.wait === true,
    build: o.buildGiven === true || (o.build === true && o.buildGiven === undefined),
    noBuild: o.noBuildGiven === true || (o.build === false && o.noBuildGiven === undefined),
    forceRecreate: o.forceRecreate === true,
    noRecreate: o.recreate === false,
    alwaysRecreateDeps: o.alwaysRecreateDeps === true,
    noDeps: o.deps === false,
    scale: scaleFlag(stringList(o.scale)),
    removeOrphans: o.removeOrphans === true,
    abortOnExit: o.abortOnContainerExit === true,
    abortOnFailure: o.abortOnContainerFailure === true,
    color: o.color !== false,
    logPrefix: o.logPrefix !== false,
    timestamps: o.timestamps === true,
    timeline: o.timeline === true,
    watch: o.watch === true,
    noStart: o.start === false,
    attach: stringList(o.attach),
    noAttach: stringList(o.noAttach),
    attachDependencies: o.attachDependencies === true,
  };
  const pull = pullFlag(o.pull);
  if (pull !== undefined) flags.pull = pull;
  const waitTimeout = secondsFlag(o.waitTimeout, '--wait-timeout');
  if (waitTimeout !== undefined) flags.waitTimeoutMs = waitTimeout;
  const timeout = secondsFlag(o.timeout, '--timeout');
  if (timeout !== undefined) flags.timeoutMs = timeout;
  if (typeof o.exitCodeFrom === 'string') flags.exitCodeFrom = o.exitCodeFrom;
  return flags;
}

/**
 * `--pull` as compose reads it: `if_not_present` is `missing`'s old name, and `policy` (compose's default)
 * leaves each service's pull_policy alone.
 */
export function pullFlag(value: unknown): PullFlag | undefined {
  if (value === undefined || value === 'policy') return undefined;
  if (value === 'if_not_present') return 'missing';
  if (value === 'always' || value === 'missing' || value === 'never' || value === 'build') return value;
  throw new UsageError(`--pull must be always, missing, never or build, got "${String(value)}"`);
}

/** compose's conflicts (cmd/compose/up.go), each as one line. */
export function checkUpConflicts(f: UpFlags, env: Record<string, string | undefined> = {}): void {
  const fail = (a: string, b: string): never => {
    throw new UsageError(`${a} and ${b} cannot be used together`);
  };
  const abortFlag = f.exitCodeFrom !== undefined ? '--exit-code-from' : '--abort-on-container-exit';
  const aborts = f.abortOnExit || f.exitCodeFrom !== undefined;
  if (f.abortOnFailure && aborts) fail('--abort-on-container-failure', abortFlag);
  if (f.detach && aborts) fail('--detach', abortFlag);
  if (f.detach && f.abortOnFailure) fail('--detach', '--abort-on-container-failure');
  if (f.wait && aborts) fail('--wait', abortFlag);
  if (f.wait && f.abortOnFailure) fail('--wait', '--abort-on-container-failure');
  if (f.build && f.noBuild) fail('--build', '--no-build');
  if (f.noRecreate && f.forceRecreate) fail('--no-recreate', '--force-recreate');
  if (f.noRecreate && f.alwaysRecreateDeps) fail('--no-recreate', '--always-recreate-deps');
  if (f.removeOrphans && envTrue(env.COMPOSE_IGNORE_ORPHANS))
    fail('COMPOSE_IGNORE_ORPHANS', '--remove-orphans');
  const attachFlag = f.attach.length > 0 ? '--attach' : f.attachDependencies ? '--attach-dependencies' : '';
  if (f.attach.length > 0 && f.attachDependencies) fail('--attach', '--attach-dependencies');
  if (f.wait && attachFlag !== '') fail('--wait', attachFlag);
  if (f.detach && attachFlag !== '') fail('--detach', attachFlag);
  // compose ignores these after --no-start; cmp refuses what asks for something after a start that never comes.
  if (f.noStart) {
    if (f.wait) fail('--no-start', '--wait');
    if (f.watch) fail('--no-start', '--watch');
    if (aborts) fail('--no-start', abortFlag);
    if (f.abortOnFailure) fail('--no-start', '--abort-on-container-failure');
    if (attachFlag !== '') fail('--no-start', attachFlag);
  }
}

/** `--wait` implies detached, as in compose. */
export function isDetached(f: UpFlags): boolean {
  return f.detach || f.wait;
}

export function upOptions(f: UpFlags, services: readonly string[]): EngineUpOptions {
  const o: EngineUpOptions = { services: [...services] };
  if (f.noDeps) o.noDeps = true;
  if (f.forceRecreate) o.forceRecreate = true;
  if (f.noRecreate) o.noRecreate = true;
  if (f.alwaysRecreateDeps) o.alwaysRecreateDeps = true;
  if (Object.keys(f.scale).length > 0) o.scale = { ...f.scale };
  if (f.removeOrphans) o.removeOrphans = true;
  if (f.timeoutMs !== undefined) o.timeoutMs = f.timeoutMs;
  if (f.wait) o.wait = true;
  if (f.waitTimeoutMs !== undefined) o.waitTimeoutMs = f.waitTimeoutMs;
  if (f.noStart) o.noStart = true;
  if (f.allResources) o.allResources = true;
  return o;
}

/**
 * `--pull P` sets every service's pull_policy for this run, as compose does. pull_policy is not part of
 * the config hash, so nothing is recreated for it.
 */
export function withPullPolicy(project: Project, pull: PullFlag | undefined): Project {
  if (pull === undefined) return project;
  const services = Object.fromEntries(
    Object.entries(project.services).map(([name, s]) => [name, { ...s, pull_policy: pull }]),
  );
  return keepLocator(project, { ...project, services });
}

/** `attach: false` on a service (the loader keeps the attribute as written: a boolean or its string). */
function attachOff(project: Project, service: string): boolean {
  const v = project.services[service]?.attach;
  return v === false || v === 'false';
}

/**
 * The services attached `up` follows, picked as compose picks them: `--attach` names them outright (each
 * must be part of this up); otherwise the services named on the command line (all when none), with their
 * dependencies under `--attach-dependencies`, less those marked `attach: false`. `--no-attach` removes
 * from either. Dependencies first, like the start order.
 */
export function attachedServices(project: Project, f: UpFlags, services: readonly string[]): string[] {
  const graph = buildGraph(project);
  checkServices(project, [...f.attach, ...f.noAttach]);
  let chosen: Set<string>;
  if (f.attach.length > 0) {
    const inUp = withDependencies(graph, services, f.noDeps);
    const outside = f.attach.filter((s) => !inUp.has(s));
    if (outside.length > 0)
      throw new UsageError(`cannot attach to services not included in up: ${outside.join(', ')}`);
    chosen = new Set(f.attach);
  } else {
    const base = f.attachDependencies
      ? withDependencies(graph, services, f.noDeps)
      : new Set(services.length > 0 ? services : graph.nodes);
    chosen = new Set([...base].filter((s) => !attachOff(project, s)));
  }
  for (const s of f.noAttach) chosen.delete(s);
  return graph.order.filter((s) => chosen.has(s));
}
