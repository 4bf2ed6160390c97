// The few runc subcommands cmp drives directly (conmon runs `create`); all share one --root.
import { spawn } from 'node:child_process';
import { run, tryRun } from '../../../util/exec.js';
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
