// Each container's process is watched by conmon (podman's container monitor), not by cmp: conmon runs
// `runc create`, double-forks away from cmp, keeps the container's stdio, writes the log and, when the
// container ends, its exit code to a file. So a cmp process (CLI or supervisor) can die at any moment
// and a new one still finds the container running and later learns how it ended.
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { RuntimeError } from '../../../util/errors.js';
import { findExecutable } from '../../../util/which.js';
import { RUNC } from './runc.js';
import { bundleDir, conmonPidFile, exitDir, logPath, pidFile, runcRoot, socketDir } from './paths.js';

function which(cmd: string): string {
  const path = findExecutable(cmd);
  if (!path) throw new RuntimeError(`${cmd} not found`, { hint: 'install it (scripts/setup-host.sh)' });
  return path;
}

export interface MonitorOptions {
  id: string;
  name: string;
  tty: boolean;
  stdinOpen: boolean;
  /** conmon's own cap: it replaces the log with an empty file past this size (a backstop; see log-rotate.ts). */
  logSizeMax: number;
}

/** Starts conmon, which creates (not starts) the container; resolves once runc has created it. */
export async function launchMonitor(o: MonitorOptions): Promise<number> {
  await Promise.all([mkdir(exitDir(o.id), { recursive: true }), mkdir(socketDir(), { recursive: true })]);
  const args = [
    '--api-version',
    '1',
    '-c',
    o.id,
    '-u',
    o.id,
    '-n',
    o.name,
    '-r',
    which(RUNC),
    '--runtime-arg',
    `--root=${runcRoot()}`,
    '-b',
    bundleDir(o.id),
    '-p',
    pidFile(o.id),
    '-P',
    conmonPidFile(o.id),
    '--exit-dir',
    exitDir(o.id),
    '-l',
    `k8s-file:${logPath(o.id)}`,
    '--log-size-max',
    String(o.logSizeMax),
    '--socket-dir-path',
    socketDir(),
  ];
  if (o.tty) args.push('--terminal');
  if (o.stdinOpen) args.push('--stdin', '--leave-stdin-open');
  const child = spawn(which('conmon'), args, {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, _OCI_SYNCPIPE: '3' },
  });
  const sync = child.stdio[3];
  if (!sync) throw new RuntimeError('conmon: no sync pipe');
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  try {
    const msg = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.on('error', reject);
      sync.on('data', (b: Buffer) => {
        buf += b.toString();
        if (buf.includes('}')) resolve(buf);
      });
      sync.on('end', () => resolve(buf));
    });
    const parsed = msg
      ? (JSON.parse(msg.slice(0, msg.indexOf('}') + 1)) as { data?: number; message?: string })
      : {};
    if (typeof parsed.data !== 'number' || parsed.data < 0) {
      const why = parsed.message ?? stderr.trim().split('\n').filter(Boolean).pop() ?? 'no reply';
      throw new RuntimeError(`creating container ${o.name}: ${why.replace(/^.*level=error msg=/, '')}`);
    }
    return parsed.data;
  } finally {
    child.stderr?.destroy();
    (sync as NodeJS.ReadableStream & { destroy(): void }).destroy();
    child.unref();
  }
}
