// Docker-style log rotation (`logging.options.max-size` / `max-file`) for conmon's k8s-file logs.
//
// conmon knows one cap, --log-size-max, at which it replaces the file with an empty one: the old lines
// are gone. So the project's supervisor, which outlives the CLI, looks at each running container's log
// about once a second. Past max-size it moves ctr.log to ctr.log.1 (older generations move up, the ones
// beyond max-file are deleted) and asks conmon to reopen its log through the `ctl` FIFO in the bundle
// ("2 0 0\n" is REOPEN_LOGS_EVENT): conmon closes the old file and renames a fresh one to ctr.log. Lines
// written between the two steps still go to the old file, now ctr.log.1, so nothing is lost.
//
// Measured with conmon 2.1.6: that reopen does not reset conmon's own byte count, so its --log-size-max
// backstop still fires every <backstop> bytes it writes, replacing the live file by itself. To keep
// those lines, the rotator holds a hard link (ctr.log.live) to the live file. When conmon has replaced
// it, the link is the inode's only name left (nlink 1) and it becomes ctr.log.1 like a normal rotation.
import { constants } from 'node:fs';
import { link, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Service } from '../../../model/types.js';
import type { ContainerState } from '../../types.js';
import { RuntimeError } from '../../../util/errors.js';
import { readMeta } from './meta.js';
import { bundleDir, logPath } from './paths.js';

/** cmp's default log cap per file, and the floor of conmon's own cap. */
export const LOG_MAX_BYTES = Number(process.env.CMP_LOG_MAX_BYTES ?? 10 * 1024 * 1024);

export interface LogPolicy {
  /** Rotate once the live file has reached this many bytes (Infinity: never by size). */
  maxBytes: number;
  /** Files kept, the live one included (Docker's max-file): max-file 3 keeps ctr.log, ctr.log.1, ctr.log.2. */
  maxFiles: number;
}

/** Docker's `local` driver defaults. */
const LOCAL_DEFAULTS: LogPolicy = { maxBytes: 20 * 1024 * 1024, maxFiles: 5 };

/** The drivers whose rotation options cmp honours; any other driver still gets cmp's file. */
const FILE_DRIVERS = new Set(['json-file', 'local', 'k8s-file']);

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Docker's size syntax for max-size: `10m`, `512k`, `1g`, `2MiB`, `1000` (bytes); binary units. -1: no limit. */
export function parseLogSize(value: string | number, what: string): number {
  const s = String(value).trim();
  if (s === '-1') return Infinity;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(s);
  const bytes = m ? Math.floor(Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1)) : NaN;
  if (!Number.isFinite(bytes) || bytes < 1) {
    throw new RuntimeError(`${what}: logging.options.max-size: invalid size ${JSON.stringify(s)}`, {
      hint: 'a number of bytes with an optional unit, such as 10m or 512k',
    });
  }
  return bytes;
}

function optionOf(options: Record<string, unknown>, key: string): string | number | undefined {
  const v = options[key];
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/**
 * The rotation a service asks for. Driver unset, `json-file` (or any other driver): max-size defaults
 * to cmp's conmon cap (10 MiB, CMP_LOG_MAX_BYTES) and max-file to 1, which is what Docker's json-file
 * does with only max-size set: the file starts over and nothing older is kept. `local`: Docker's 20m x 5.
 */
export function logPolicyFor(service: Service | undefined, what: string): LogPolicy {
  const l = service?.logging;
  const logging = typeof l === 'object' && l !== null ? (l as { driver?: unknown; options?: unknown }) : {};
  const driver = typeof logging.driver === 'string' ? logging.driver : 'json-file';
  const options =
    typeof logging.options === 'object' && logging.options !== null
      ? (logging.options as Record<string, unknown>)
      : {};
  const base: LogPolicy = driver === 'local' ? LOCAL_DEFAULTS : { maxBytes: LOG_MAX_BYTES, maxFiles: 1 };
  if (!FILE_DRIVERS.has(driver)) return base;
  const size = optionOf(options, 'max-size');
  const files = optionOf(options, 'max-file');
  let maxFiles = base.maxFiles;
  if (files !== undefined) {
    maxFiles = Number(files);
    if (!Number.isInteger(maxFiles) || maxFiles < 1) {
      throw new RuntimeError(`${what}: logging.options.max-file: must be a whole number of at least 1`, {
        hint: `got ${JSON.stringify(files)}`,
      });
    }
  }
  return { maxBytes: size === undefined ? base.maxBytes : parseLogSize(size, what), maxFiles };
}

/**
 * The --log-size-max conmon should get for this policy: a backstop well above max-size, so that it
 * only acts when no supervisor rotates (what it drops is rescued by the next look anyway).
 */
export function conmonLogSizeMax(policy: LogPolicy): number {
  return Number.isFinite(policy.maxBytes) ? Math.max(LOG_MAX_BYTES, 2 * policy.maxBytes) : LOG_MAX_BYTES;
}

export const generationPath = (log: string, n: number): string => `${log}.${n}`;
/** The rotator's hard link to the live file; readers include it (see the file comment). */
export const liveLinkPath = (log: string): string => `${log}.live`;

/** The generation numbers present next to `log` (ctr.log.1, ctr.log.2, ...), unsorted. */
export async function generationsOf(log: string): Promise<number[]> {
  const prefix = `${basename(log)}.`;
  const names = await readdir(dirname(log)).catch(() => [] as string[]);
  const out: number[] = [];
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const rest = n.slice(prefix.length);
    if (/^[1-9]\d*$/.test(rest)) out.push(Number(rest));
  }
  return out;
}

function isErrno(e: unknown, ...codes: string[]): boolean {
  return typeof e === 'object' && e !== null && codes.includes((e as NodeJS.ErrnoException).code ?? '');
}

async function statOrUndefined(p: string): Promise<Awaited<ReturnType<typeof stat>> | undefined> {
  try {
    return await stat(p);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
}

/** Makes room for a new ctr.log.1: deletes what would pass max-file, moves the rest up by one. */
async function shift(log: string, maxFiles: number): Promise<void> {
  const keep = maxFiles - 1;
  for (const n of await generationsOf(log)) {
    if (n >= Math.max(keep, 1)) await rm(generationPath(log, n), { force: true });
  }
  for (let n = keep - 1; n >= 1; n--) {
    await rename(generationPath(log, n), generationPath(log, n + 1)).catch((e: unknown) => {
      if (!isErrno(e, 'ENOENT')) throw e;
    });
  }
}

/** Points the live link at whatever ctr.log is now (link to a temporary name, then rename over). */
async function relink(log: string): Promise<void> {
  const tmp = `${liveLinkPath(log)}.tmp`;
  await rm(tmp, { force: true });
  try {
    await link(log, tmp);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return;
    throw e;
  }
  await rename(tmp, liveLinkPath(log));
}

/**
 * Asks conmon to reopen its log. Non-blocking: a FIFO nobody reads (conmon has exited) fails with ENXIO
 * instead of hanging; false then, and the next run's conmon opens a new ctr.log anyway.
 */
export async function requestReopen(ctlFifo: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(ctlFifo, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (e) {
    if (isErrno(e, 'ENOENT', 'ENXIO')) return false;
    throw e;
  }
  try {
    await fh.write('2 0 0\n');
    return true;
  } catch (e) {
    if (isErrno(e, 'EAGAIN', 'EPIPE')) return false;
    throw e;
  } finally {
    await fh.close();
  }
}

export type RotateResult = 'rotated' | 'rescued' | undefined;

/**
 * One look at a container's log: rescues what conmon dropped by itself, then rotates if the live file
 * has reached max-size. Only for a running container (its conmon reads `ctlFifo`).
 */
export async function rotateLog(log: string, ctlFifo: string, policy: LogPolicy): Promise<RotateResult> {
  const live = await statOrUndefined(log);
  // No live file: a rotation whose reopen conmon has not done yet; look again later.
  if (!live) return undefined;
  let result: RotateResult;
  const held = await statOrUndefined(liveLinkPath(log));
  if (!held || held.ino !== live.ino) {
    if (held && held.nlink <= 1) {
      // conmon replaced ctr.log on its own (its --log-size-max): the link holds the only copy.
      await shift(log, policy.maxFiles);
      if (policy.maxFiles > 1) await rename(liveLinkPath(log), generationPath(log, 1));
      else await rm(liveLinkPath(log), { force: true });
      result = 'rescued';
    }
    await relink(log);
  }
  if (live.size < policy.maxBytes) return result;
  await shift(log, policy.maxFiles);
  // max-file 1 keeps nothing: conmon's reopen replaces the file, and the relink below drops the old one.
  if (policy.maxFiles > 1) await rename(log, generationPath(log, 1));
  if (await requestReopen(ctlFifo)) {
    // The link must follow at once: should conmon's own cap replace the new file before the next look,
    // only a link to it would keep its lines.
    const deadline = Date.now() + REOPEN_WAIT_MS;
    for (;;) {
      const now = await statOrUndefined(log);
      if (now && now.ino !== live.ino) break;
      if (Date.now() > deadline) return 'rotated';
      await new Promise((r) => setTimeout(r, 5));
    }
    await relink(log);
  }
  return 'rotated';
}

/** How long a rotation waits for conmon to make the new file (it does so on its next loop turn). */
const REOPEN_WAIT_MS = 500;

/** How often the supervisor's ticks look at the logs. */
export const LOG_CHECK_MS = 1000;

/** The supervisor's part: rotates every running container's log about once a second. */
export class LogRotator {
  private readonly policies = new Map<string, LogPolicy | undefined>();
  private last = 0;

  constructor(private readonly o: { log: (line: string) => void; everyMs?: number }) {}

  async check(containers: readonly ContainerState[]): Promise<void> {
    const now = Date.now();
    if (now - this.last < (this.o.everyMs ?? LOG_CHECK_MS)) return;
    this.last = now;
    const ids = new Set(containers.map((c) => c.id));
    for (const id of this.policies.keys()) if (!ids.has(id)) this.policies.delete(id);
    for (const c of containers) {
      if (c.status !== 'running') continue;
      const policy = await this.policyOf(c);
      if (!policy) continue;
      try {
        const r = await rotateLog(logPath(c.id), join(bundleDir(c.id), 'ctl'), policy);
        // With max-file 1 the dropped file is not kept, which is the configured behaviour: no news.
        if (r === 'rescued' && policy.maxFiles > 1) {
          this.o.log(`log of ${c.name}: conmon's size cap replaced it; kept as a generation`);
        }
      } catch (e) {
        this.o.log(`log rotation of ${c.name}: ${String(e)}`);
      }
    }
  }

  private async policyOf(c: ContainerState): Promise<LogPolicy | undefined> {
    if (this.policies.has(c.id)) return this.policies.get(c.id);
    const meta = await readMeta(c.id);
    if (!meta) return undefined;
    let policy: LogPolicy | undefined;
    try {
      policy = logPolicyFor(meta.service, c.name);
    } catch (e) {
      // createContainer validates the options, so only an older record gets here: leave it to conmon.
      this.o.log(`log rotation of ${c.name}: ${String(e)}`);
    }
    this.policies.set(c.id, policy);
    return policy;
  }
}
