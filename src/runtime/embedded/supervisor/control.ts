// The CLI's side of the supervisor: make sure one runs for a project, and talk to it.
import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import type { PortConfig } from '../../../model/types.js';
import type { PublishedPort } from '../../types.js';
import { RuntimeError } from '../../../util/errors.js';
import { projectRunDir } from '../../../util/paths.js';
import { daemonScript } from '../../../util/layout.js';
import { processAlive } from '../../../util/process.js';
import { logPath, send, type Reply, type Request } from './protocol.js';

const MAIN = daemonScript('supervisor');

async function alive(project: string): Promise<boolean> {
  try {
    return (await send(project, { op: 'ping' }, 2000)).ok;
  } catch {
    return false;
  }
}

/**
 * Starts the project's supervisor unless one answers. Two commands racing here both spawn one; the
 * supervisor itself takes the pid lock, so the loser exits and both commands end up talking to the winner.
 */
export function ensureSupervisor(project: string, opts: { adopt?: boolean } = {}): Promise<void> {
  // Calls made while a start is in flight share it instead of spawning a second supervisor.
  let pending = starting.get(project);
  if (!pending) {
    pending = startSupervisor(project, opts.adopt === true).finally(() => starting.delete(project));
    starting.set(project, pending);
  }
  return pending;
}

const starting = new Map<string, Promise<void>>();

async function startSupervisor(project: string, adopt: boolean): Promise<void> {
  if (await alive(project)) return;
  await mkdir(projectRunDir(project), { recursive: true });
  const log = await open(logPath(project), 'a');
  // Node parses NODE_EXTRA_CA_CERTS at start-up whether it will need it or not (≈ 40 ms of CPU for a system
  // bundle, in the middle of the `up` that starts the supervisor), and the supervisor makes no TLS
  // connections: DNS, port proxies, healthchecks inside containers, restarts of local containers.
  const { NODE_EXTRA_CA_CERTS: _noTls, ...env } = process.env;
  const child = spawn(process.execPath, [MAIN, project, ...(adopt ? ['--adopt'] : [])], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
    env,
  });
  child.unref();
  await log.close();
  const deadline = Date.now() + 10_000;
  // A fresh supervisor answers within a few hundred ms; a short, even poll notices it at once.
  while (Date.now() < deadline) {
    if (await alive(project)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new RuntimeError(`the supervisor of project ${project} did not start`, {
    hint: `see ${logPath(project)}`,
  });
}

/**
 * `cmp system boot` for one project: a supervisor runs (a new one starts what must run at its boot; one
 * a command that only looks revived earlier does not), and it has started what must run.
 */
export async function bootProject(project: string): Promise<void> {
  await ensureSupervisor(project);
  await awaitBooted(project);
  const reply = await send(project, { op: 'boot' }, 10 * 60_000);
  if (!reply.ok) throw new RuntimeError(reply.error, reply.hint ? { hint: reply.hint } : {});
}

/** Waits until the project's supervisor has finished its boot (the starts it makes at boot included). */
async function awaitBooted(project: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await send(project, { op: 'ping' }, 2000).catch(() => undefined);
    if (reply?.ok && reply.booted) return;
    if (Date.now() >= deadline) {
      throw new RuntimeError(`the supervisor of project ${project} did not finish its boot`, {
        hint: `see ${logPath(project)}`,
      });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function ask(project: string, req: Request): Promise<Reply & { ok: true }> {
  const reply = await send(project, req);
  if (!reply.ok) throw new RuntimeError(reply.error, reply.hint ? { hint: reply.hint } : {});
  return reply;
}

/**
 * Asks the supervisor to look at the project now. The caller holds the project lock (down, rm): when the
 * project is empty the supervisor exits at once, and this waits until it is gone, so nothing of the
 * project outlives the command.
 */
export async function nudgeSupervisor(project: string): Promise<void> {
  const reply = await send(project, { op: 'check', callerHoldsLock: true }, 5000).catch(() => undefined);
  if (!reply?.ok || !reply.exiting) return;
  const deadline = Date.now() + 5000;
  while (processAlive(reply.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/**
 * Waits (a few seconds at most) until the supervisor's DNS server listens on these gateways: a network made
 * moments ago (or remade after a reboot) gets its listener at the supervisor's next look, and a container
 * started before that would find its name server refusing queries.
 */
export async function awaitDns(project: string, gateways: string[], timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await send(project, { op: 'dns', gateways }, 2000).catch(() => undefined);
    const serving = new Set(reply?.ok ? (reply.serving ?? []) : []);
    if (gateways.every((g) => serving.has(g)) || Date.now() >= deadline) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function publishThroughSupervisor(
  project: string,
  id: string,
  ports: PortConfig[],
): Promise<PublishedPort[]> {
  await ensureSupervisor(project);
  return (await ask(project, { op: 'publish', id, ports })).ports ?? [];
}

export async function unpublishThroughSupervisor(project: string, id: string): Promise<void> {
  // No supervisor means no proxies to close.
  if (!(await alive(project))) return;
  await ask(project, { op: 'unpublish', id });
}
