// The few runc subcommands cmp drives directly (conmon runs `create`); all share one --root.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { type FileHandle, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { run, tryRun } from '../../../util/exec.js';
import { processAlive } from '../../../util/process.js';
import { runcRoot } from './paths.js';

export const RUNC = process.env.CMP_OCI_RUNTIME ?? 'runc';

export type RuncStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export interface RuncState {
  status: RuncStatus;
  pid: number;
}

const base = (): string[] => ['--root', runcRoot()];

export async function runcState(id: string): Promise<RuncState | undefined> {
  const r = await tryRun(RUNC, [...base(), 'state', id]);
  if (r.exitCode !== 0) return undefined;
  const s = JSON.parse(r.stdout) as { status: RuncStatus; pid: number };
  return { status: s.status, pid: s.pid };
}

/** Every container runc knows, in one call: listing a project must not spawn runc once per container. */
export async function runcStates(): Promise<Map<string, RuncState>> {
  const r = await tryRun(RUNC, [...base(), 'list', '--format', 'json']);
  const out = new Map<string, RuncState>();
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
 * Starts a container runc holds in its created state the way `runc start` does, without spawning runc
 * (about 8 ms of a start here): runc's waiting init blocks opening `exec.fifo` in runc's state dir for
 * writing; opening it for reading releases it, it writes one byte and execs the container's process, and
 * the reader removes the FIFO, which is how runc tells created from running. False when there is no such
 * container or its init is gone; the caller then starts the slow way.
 */
export async function releaseCreated(id: string): Promise<boolean> {
  const dir = join(runcRoot(), id);
  const fifo = join(dir, 'exec.fifo');
  let pid: number;
  try {
    pid = (JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as { init_process_pid: number })
      .init_process_pid;
  } catch {
    return false;
  }
  if (!pid || !processAlive(pid)) return false;
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
  const args = [...base(), 'exec', '--process', processSpecPath];
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
    child.on('close', (code, sig) => resolve({ exitCode: code ?? (sig ? 128 + 9 : 1), stdout, stderr }));
  });
}
