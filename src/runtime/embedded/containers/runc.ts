// The few runc subcommands cmp drives directly (conmon runs `create`); all share one --root.
import { spawn } from 'node:child_process';
import { constants, existsSync, readFileSync, rmSync } from 'node:fs';
import { type FileHandle, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { run, tryRun } from '../../../util/exec.js';
import { runcRoot } from './paths.js';
import { readSmall } from '../../../util/small-files.js';

export const RUNC = process.env.CMP_OCI_RUNTIME ?? 'runc';

export type RuncStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export interface RuncState {
  status: RuncStatus;
  pid: number;
}

const base = (): string[] => ['--root', runcRoot()];

/** runc's own exit code when it fails, whatever the reason. */
const RUNC_FAILED = 255;
const CANNOT_EXECUTE = 126;

/**
 * Whether cmp may read runc's records itself. They are runc's own format; another OCI runtime chosen with
 * CMP_OCI_RUNTIME keeps its own, so its state is always asked for with a subprocess.
 */
const LOCAL = /(^|\/)runc$/.test(RUNC);

interface RuncRecord {
  pid: number;
  /** Start time of the init in clock ticks (/proc/<pid>/stat field 22): tells a reused pid apart. */
  start: string;
  freezer?: string;
}

async function readRecord(id: string): Promise<RuncRecord | undefined> {
  let text: string | undefined;
  try {
    text = readSmall(join(runcRoot(), id, 'state.json'));
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  // The record embeds the whole config (tens of KB); three fields are all that is needed.
  const pid = /"init_process_pid":(\d+)/.exec(text)?.[1];
  const start = /"init_process_start":"?(\d+)/.exec(text)?.[1];
  if (!pid || !start) return undefined;
  const freezer = /"freezer":"([^"]+)"/.exec(text)?.[1];
  return { pid: Number(pid), start, ...(freezer ? { freezer } : {}) };
}

async function procStartTime(pid: number): Promise<string | undefined> {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); a zombie has finished.
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/** runc's status, worked out the way `runc state` does it, from its record, /proc and the freezer. */
async function localState(id: string): Promise<RuncState | undefined> {
  const rec = await readRecord(id);
  if (!rec) return undefined;
  if ((await procStartTime(rec.pid)) !== rec.start) return { status: 'stopped', pid: 0 };
  if (existsSync(join(runcRoot(), id, 'exec.fifo'))) return { status: 'created', pid: rec.pid };
  if (rec.freezer) {
    let frozen = '';
    try {
      frozen = readSmall(join(rec.freezer, 'freezer.state')) ?? '';
    } catch {
      // the cgroup is going away with the container
    }
    if (frozen.trim() === 'FROZEN') return { status: 'paused', pid: rec.pid };
  }
  return { status: 'running', pid: rec.pid };
}

/**
 * A container's state. Read from runc's files rather than by running `runc state`: the supervisor asks
 * for every container several times a second, and each runc process costs several ms of CPU.
 */
export async function runcState(id: string): Promise<RuncState | undefined> {
  if (LOCAL) return localState(id);
  const r = await tryRun(RUNC, [...base(), 'state', id]);
  if (r.exitCode !== 0) return undefined;
  const s = JSON.parse(r.stdout) as { status: RuncStatus; pid: number };
  return { status: s.status, pid: s.pid };
}

/** Every container runc knows: listing a project must not spawn runc once per container. */
export async function runcStates(): Promise<Map<string, RuncState>> {
  const out = new Map<string, RuncState>();
  if (LOCAL) {
    const ids = await readdir(runcRoot()).catch(() => [] as string[]);
    await Promise.all(
      ids.map(async (id) => {
        const st = await localState(id);
        if (st) out.set(id, st);
      }),
    );
    return out;
  }
  const r = await tryRun(RUNC, [...base(), 'list', '--format', 'json']);
  if (r.exitCode !== 0) return out;
  const list = (JSON.parse(r.stdout || 'null') ?? []) as Array<{
    id: string;
    status: RuncStatus;
    pid: number;
  }>;
  for (const c of list) out.set(c.id, { status: c.status, pid: c.pid });
  return out;
}

/**
 * Whether the container's process is gone (or runc never had it): stops and removals ask this in a loop,
 * so it reads files rather than spawning runc.
 */
export async function runcGone(id: string): Promise<boolean> {
  const st = await runcState(id);
  return st === undefined || st.status === 'stopped';
}

/**
 * Drops runc's record of a container. One whose process is gone needs nothing but its record dir removed
 * (cmp removes the cgroup dirs itself, see cgroups.ts); one still there goes through `runc delete --force`.
 */
export async function runcForget(id: string): Promise<void> {
  if (LOCAL && (await runcGone(id))) await rm(join(runcRoot(), id), { recursive: true, force: true });
  else await runcDelete(id);
}

/** Whether runc holds the container in its created state, read from runc's files (false for other runtimes). */
export async function runcIsCreated(id: string): Promise<boolean> {
  return LOCAL && (await localState(id))?.status === 'created';
}

/**
 * Starts a container runc holds in its created state the way `runc start` does, without spawning runc
 * (about 8 ms of a start here): runc's waiting init blocks opening `exec.fifo` in runc's state dir for
 * writing; opening it for reading releases it, it writes one byte and execs the container's process, and
 * the reader removes the FIFO, which is how runc tells created from running. For a container runcIsCreated
 * has just said is created; false when its init went away meanwhile, and the caller then starts the slow way.
 */
export async function releaseCreated(id: string): Promise<boolean> {
  const fifo = join(runcRoot(), id, 'exec.fifo');
  let reader: FileHandle;
  // The open blocks (in libuv's pool) until the init has its end open. An init that died after the check
  // would leave it blocked, so after a while cmp opens the writing end itself, which ends the wait.
  const unblock = setTimeout(() => {
    open(fifo, constants.O_WRONLY | constants.O_NONBLOCK)
      .then((w) => w.close())
      .catch(() => undefined);
  }, 2000);
  try {
    reader = await open(fifo, 'r');
  } catch {
    return false;
  } finally {
    clearTimeout(unblock);
  }
  try {
    const data = await reader.readFile();
    if (data.length === 0) return false;
  } finally {
    await reader.close();
  }
  await rm(fifo, { force: true });
  return true;
}

export async function runcStart(id: string): Promise<void> {
  await run(RUNC, [...base(), 'start', id]);
}

export async function runcKill(id: string, signal: string): Promise<void> {
  await run(RUNC, [...base(), 'kill', id, signal.replace(/^SIG/, '')]);
}

export async function runcDelete(id: string): Promise<void> {
  await tryRun(RUNC, [...base(), 'delete', '--force', id]);
}

export async function runcPause(id: string): Promise<void> {
  await run(RUNC, [...base(), 'pause', id]);
}

export async function runcResume(id: string): Promise<void> {
  await run(RUNC, [...base(), 'resume', id]);
}

/**
 * `runc exec` in the foreground: its exit status is the process's. stdio is inherited for the CLI
 * (interactive, tty) or piped for callers that want the output (healthchecks).
 */
export function runcExec(
  id: string,
  processSpecPath: string,
  opts: { tty: boolean; detach: boolean; capture: boolean },
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  // runc writes the pid file only once the process runs, so its absence tells "could not start" (a missing
  // or non-executable command: runc exits 255) from a command that itself exited 255.
  const pidFile = `${processSpecPath}.pid`;
  const args = [...base(), 'exec', '--process', processSpecPath, '--pid-file', pidFile];
  if (opts.tty) args.push('--tty');
  if (opts.detach) args.push('--detach');
  args.push(id);
  return new Promise((resolve, reject) => {
    const child = spawn(RUNC, args, { stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code, sig) => {
      const started = existsSync(pidFile);
      rmSync(pidFile, { force: true });
      // Docker's code for a command that cannot be run in the container (`exec` exits 126, as compose does).
      const exitCode = code === RUNC_FAILED && !started ? CANNOT_EXECUTE : (code ?? (sig ? 128 + 9 : 1));
      resolve({ exitCode, stdout, stderr });
    });
  });
}
