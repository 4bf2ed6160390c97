// `cmp up`'s flags: read from commander's option object, checked for compose's conflicts, turned into
// engine options.
import type { UpOptions } from '../../../plan/types.js';
import { UsageError } from '../../../util/errors.js';
import { scaleFlag, secondsFlag, stringList } from './values.js';

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
  };
  const waitTimeout = secondsFlag(o.waitTimeout, '--wait-timeout');
  if (waitTimeout !== undefined) flags.waitTimeoutMs = waitTimeout;
  const timeout = secondsFlag(o.timeout, '--timeout');
  if (timeout !== undefined) flags.timeoutMs = timeout;
  if (typeof o.exitCodeFrom === 'string') flags.exitCodeFrom = o.exitCodeFrom;
  return flags;
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
  if (f.removeOrphans && truthy(env.COMPOSE_IGNORE_ORPHANS))
    fail('COMPOSE_IGNORE_ORPHANS', '--remove-orphans');
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes)$/i.test(v);
}

/** `--wait` implies detached, as in compose. */
export function isDetached(f: UpFlags): boolean {
  return f.detach || f.wait;
}

export function upOptions(f: UpFlags, services: readonly string[]): UpOptions {
  const o: UpOptions = { services: [...services] };
  if (f.noDeps) o.noDeps = true;
  if (f.forceRecreate) o.forceRecreate = true;
  if (f.noRecreate) o.noRecreate = true;
  if (f.alwaysRecreateDeps) o.alwaysRecreateDeps = true;
  if (Object.keys(f.scale).length > 0) o.scale = { ...f.scale };
  if (f.removeOrphans) o.removeOrphans = true;
  if (f.timeoutMs !== undefined) o.timeoutMs = f.timeoutMs;
  if (f.wait) o.wait = true;
  if (f.waitTimeoutMs !== undefined) o.waitTimeoutMs = f.waitTimeoutMs;
  return o;
}
