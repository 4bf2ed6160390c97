// Entry point of a project's supervisor: `node main.js <project> [--adopt]`, started detached by control.ts
// (`--adopt`: started by a command that only looks, so it starts no container at its boot).
// It holds the pid lock, answers on the control socket, hosts DNS, port proxies, restart policies and
// healthchecks, and exits by itself once the project has no containers.
import { createServer } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import { EmbeddedRuntime } from '../runtime.js';
import { ImageStore } from '../images/store.js';
import { LinuxNetworks } from '../net/manager.js';
import { DnsServer } from '../net/dns/server.js';
import { isCmpError } from '../../../util/errors.js';
import { projectRunDir } from '../../../util/paths.js';
import { holdLock } from '../../../util/lock.js';
import { inBackground } from '../../../util/background.js';
import { join } from 'node:path';
import { pidPath, socketPath, type Reply, type Request } from './protocol.js';
import { Supervisor } from './supervisor.js';

const project = process.argv[2];
const startContainers = process.argv[3] !== '--adopt';
if (!project) {
  process.stderr.write('usage: main.js <project>\n');
  process.exit(2);
}

const log = (line: string): void => void process.stdout.write(`${new Date().toISOString()} ${line}\n`);

const describe = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));

const background = (what: string, work: () => Promise<void>): void => inBackground(what, work, log);

// The last line of defence: this process serves DNS, ports and restart policies for a whole project, so
// a rejection that escaped is logged and the supervisor goes on rather than taking all of that down.
process.on('unhandledRejection', (e) => log(`unhandled rejection (still running): ${describe(e)}`));

async function main(name: string): Promise<void> {
  await mkdir(projectRunDir(name), { recursive: true });
  // Exactly one supervisor per project: the lock is released by the kernel when its holder dies.
  let releaseLock: () => void;
  try {
    releaseLock = await holdLock(pidPath(name), { timeoutMs: 150 });
  } catch {
    log('another supervisor holds the lock; exiting');
    return;
  }
  const net = new LinuxNetworks();
  const runtime = new EmbeddedRuntime(new ImageStore(), net);
  const dns = new DnsServer({ log, project: name });
  let closing = false;
  let booted = false;

  const shutdown = async (why: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log(`shutting down: ${why}`);
    await supervisor.stop();
    await dns.stop().catch(() => undefined);
    server.close();
    await rm(socketPath(name), { force: true });
    releaseLock();
    process.exit(0);
  };

  /**
   * Exits only while holding the project lock and after a last look: a command that is bringing the
   * project up holds that lock from before it pings us until its containers exist, so we never leave it
   * talking to a supervisor that is going away.
   */
  const tryExclusive = async (fn: () => Promise<void>): Promise<boolean> => {
    let release: () => void;
    try {
      release = await holdLock(join(projectRunDir(name), 'project.lock'), { timeoutMs: 0 });
    } catch {
      return false; // a command is working on the project
    }
    try {
      await fn();
    } finally {
      release();
    }
    return true;
  };

  const shutdownIfStillEmpty = async (): Promise<void> => {
    if (closing) return;
    // Busy: a command is working on the project; look again on a later tick.
    await tryExclusive(async () => {
      if ((await runtime.listContainers(name, { all: true })).length === 0)
        await shutdown('the project has no containers');
    });
  };

  const supervisor = new Supervisor({
    project: name,
    runtime,
    net,
    log,
    onEmpty: () => background('empty check', shutdownIfStillEmpty),
    tryExclusive,
  });

  const handle = async (req: Request): Promise<Reply> => {
    switch (req.op) {
      case 'ping':
        return { ok: true, pid: process.pid, booted };
      case 'check': {
        await supervisor.tick();
        // The caller (down, rm) holds the project lock and has just emptied the project: no command can be
        // relying on us, so go now rather than a few ticks later.
        const empty =
          req.callerHoldsLock === true && (await runtime.listContainers(name, { all: true })).length === 0;
        if (empty)
          setImmediate(() => background('shutdown', () => shutdown('the project has no containers')));
        return { ok: true, pid: process.pid, ...(empty ? { exiting: true } : {}) };
      }
      case 'publish':
        return { ok: true, pid: process.pid, ports: await supervisor.publish(req.id, req.ports) };
      case 'unpublish':
        await supervisor.unpublish(req.id);
        return { ok: true, pid: process.pid };
      case 'boot':
        await supervisor.startOnBoot();
        return { ok: true, pid: process.pid };
      case 'dns':
        await dns.refresh();
        return { ok: true, pid: process.pid, serving: dns.serving(req.gateways) };
    }
  };

  await rm(socketPath(name), { force: true });
  const server = createServer((sock) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const line = buf.slice(0, nl);
      buf = '';
      background('control request', async () => {
        let reply: Reply;
        try {
          reply = await handle(JSON.parse(line) as Request);
        } catch (e) {
          reply = isCmpError(e)
            ? { ok: false, error: e.message, ...(e.hint ? { hint: e.hint } : {}) }
            : { ok: false, error: e instanceof Error ? e.message : String(e) };
        }
        sock.end(`${JSON.stringify(reply)}\n`);
      });
    });
    sock.on('error', () => undefined);
  });
  // Readiness: the socket answers only once DNS serves, because the commands that ping it go on to
  // start containers that resolve their peers' names at once.
  await dns.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath(name), () => resolve());
  });
  process.on('SIGTERM', () => background('shutdown', () => shutdown('SIGTERM')));
  process.on('SIGINT', () => background('shutdown', () => shutdown('SIGINT')));
  await supervisor.boot({ startContainers });
  booted = true;
  log(`supervising project ${name} (pid ${process.pid})`);
}

main(project).catch((e: unknown) => {
  log(`fatal: ${describe(e)}`);
  process.exit(1);
});
