// The detached watcher of `up -d --watch`: one background process per project, found through its pid
// file in the project's run dir. Started like the supervisor (a detached node process logging to a file
// beside its pid file); ended by `cmp watch --stop` and by `cmp down`.
import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadOptions } from '../loader/index.js';
import type { RuntimeKind } from '../runtime/open.js';
import { RuntimeError } from '../util/errors.js';
import { daemonScript } from '../util/layout.js';
import { projectRunDir } from '../util/paths.js';

const DAEMON = daemonScript('watcher');
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

export const watchPidFile = (project: string): string => join(projectRunDir(project), 'watch.pid');
export const watchLogFile = (project: string): string => join(projectRunDir(project), 'watch.log');

/** What the daemon needs to load the same project the command loaded. */
export interface DaemonRequest {
  project: string;
  cwd: string;
  /** The command's load options that survive JSON (its environment is the daemon's). */
  load: Pick<LoadOptions, 'files' | 'projectName' | 'projectDirectory' | 'envFiles' | 'profiles'>;
  runtime: RuntimeKind;
  services: string[];
  prune: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A pid file can outlive its process and the pid be reused: only a live watch daemon counts. */
async function isWatchDaemon(pid: number): Promise<boolean> {
  if (!alive(pid)) return false;
  const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  // Either layout's watcher (tsc's output or the bundle), so one started by the other is still found.
  return cmd.split('\0').some((a) => /(watch\/daemon|bin\/watcher)\.js$/.test(a));
}

export async function watchDaemonPid(project: string): Promise<number | undefined> {
  const pid = Number((await readFile(watchPidFile(project), 'utf8').catch(() => '')).trim());
  return pid > 0 && (await isWatchDaemon(pid)) ? pid : undefined;
}

async function logTail(project: string): Promise<string> {
  const text = await readFile(watchLogFile(project), 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-3).join(' | ');
}

/** Replaces any watcher of the project with a new one; resolves once it watches. */
export async function startWatchDaemon(req: DaemonRequest): Promise<number> {
  await stopWatchDaemon(req.project);
  await mkdir(projectRunDir(req.project), { recursive: true });
  const log = await open(watchLogFile(req.project), 'a');
  const child = spawn(process.execPath, [DAEMON, req.project, JSON.stringify(req)], {
    detached: true,
    cwd: req.cwd,
    stdio: ['ignore', log.fd, log.fd],
    env: process.env,
  });
  child.unref();
  await log.close();
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const pid = child.pid ?? 0;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (let delay = 10; Date.now() < deadline && !exited; delay = Math.min(delay * 2, 200)) {
    // The daemon writes its pid file only once its watches are armed.
    if ((await watchDaemonPid(req.project)) === pid) return pid;
    await sleep(delay);
  }
  if (!exited && pid > 0) process.kill(pid, 'SIGKILL');
  throw new RuntimeError(
    `the watcher of project ${req.project} did not start: ${await logTail(req.project)}`,
    {
      hint: `see ${watchLogFile(req.project)}`,
    },
  );
}

/** Ends the project's detached watcher, if one runs; true when one did. */
export async function stopWatchDaemon(project: string): Promise<boolean> {
  const pid = await watchDaemonPid(project);
  if (pid === undefined) {
    await rm(watchPidFile(project), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (alive(pid) && Date.now() < deadline) await sleep(20);
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  while (alive(pid)) await sleep(10);
  await rm(watchPidFile(project), { force: true });
  return true;
}
