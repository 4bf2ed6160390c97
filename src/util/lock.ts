// Locks the kernel releases. A lock is an abstract unix socket (Linux) bound by its holder: binding is
// atomic, a second bind fails with EADDRINUSE, and the name is freed when the holder's socket closes,
// however the holder ends (exit, crash, SIGKILL). So there is no stale lock to detect and take over, no
// unlink-and-retry race between contenders, and a reused pid cannot pose as a holder. Abstract names
// are scoped to a network namespace: every cmp process that takes these locks runs in the host's.
// The socket also answers who holds it, for the "waiting for" line. A lock held for a process's life
// (holdLock) also writes its holder's pid at the lock's path for people and tools; that file is
// information, never the lock.
import { createHash } from 'node:crypto';
import { unlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { RuntimeError } from './errors.js';
import { escapeControls } from './terminal-text.js';

export interface LockHolder {
  pid: number;
  /** What the holder is doing, e.g. `cmp up -d`. */
  what: string;
}

export interface LockOptions {
  /** Give up after this long (0: try once). */
  timeoutMs: number;
  /** Names what is locked in messages, e.g. `project web`. */
  label?: string;
  /** Called once when the lock has been held by another process for `noticeAfterMs`. */
  onWait?: (holder: LockHolder | undefined) => void;
  noticeAfterMs?: number;
}

const localQueues = new Map<string, Promise<unknown>>();

function socketName(path: string): string {
  return `\0cmp-lock/${createHash('sha256').update(path).digest('hex').slice(0, 32)}`;
}

/** This process as a holder: its command line, short and without control characters. */
function self(): LockHolder {
  // The daemons run as `node <script> <project>`: name them by their script, not by their arguments.
  const script = process.argv[1] ?? '';
  const role = /supervisor\.js$|runtime\/embedded\/supervisor\/main\.js$/.test(script)
    ? 'cmp supervisor'
    : /watcher\.js$|watch\/daemon\.js$/.test(script)
      ? 'cmp watcher'
      : 'cmp';
  const what = escapeControls(`${role} ${process.argv.slice(2).join(' ')}`).slice(0, 60);
  return { pid: process.pid, what };
}

function tryBind(name: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const info = JSON.stringify(self());
    const server = createServer((sock) => {
      sock.unref();
      sock.on('error', () => undefined);
      sock.end(info);
    });
    server.once('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EADDRINUSE' ? resolve(undefined) : reject(e),
    );
    server.listen(name, () => {
      // A held lock must not keep the process alive on its own.
      server.unref();
      resolve(server);
    });
  });
}

/** Asks the holder who it is; undefined when it does not answer within a moment (or just let go). */
export function lockHolder(path: string): Promise<LockHolder | undefined> {
  return new Promise((resolve) => {
    const sock = connect(socketName(path));
    let data = '';
    const done = (h: LockHolder | undefined): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(h);
    };
    const timer = setTimeout(() => done(undefined), 500);
    sock.on('data', (d) => (data += d.toString()));
    sock.on('end', () => {
      try {
        const h = JSON.parse(data) as Partial<LockHolder>;
        done(
          typeof h.pid === 'number' && typeof h.what === 'string' ? { pid: h.pid, what: h.what } : undefined,
        );
      } catch {
        done(undefined);
      }
    });
    sock.on('error', () => done(undefined));
  });
}

function describe(holder: LockHolder | undefined): string {
  return holder ? `\`${holder.what}\` (pid ${holder.pid})` : 'another cmp process';
}

async function acquire(path: string, o: LockOptions, recordPid: boolean): Promise<Server> {
  const name = socketName(path);
  const started = Date.now();
  let noticed = false;
  let delay = 5;
  for (;;) {
    const server = await tryBind(name);
    if (server) {
      if (recordPid) {
        try {
          writeFileSync(path, `${process.pid}\n`);
        } catch {
          // the pid file is only information
        }
      }
      return server;
    }
    const waited = Date.now() - started;
    if (waited >= o.timeoutMs) {
      const holder = await lockHolder(path);
      throw new RuntimeError(`${o.label ?? path} is locked by ${describe(holder)}`, {
        hint:
          o.timeoutMs > 0
            ? `waited ${Math.round(o.timeoutMs / 1000)} s; let that command finish or stop it`
            : 'let that command finish or stop it',
      });
    }
    if (!noticed && o.onWait && waited >= (o.noticeAfterMs ?? 2000)) {
      noticed = true;
      o.onWait(await lockHolder(path));
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 100);
  }
}

function releaser(path: string | undefined, server: Server): () => void {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (path !== undefined) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
    server.close();
  };
  process.on('exit', release);
  return release;
}

/**
 * Runs fn while holding the lock; calls from one process queue in memory before they contend. Short
 * critical sections: no pid file is written, so `path` need not be a place a file can be made.
 */
export async function withLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const before = localQueues.get(path) ?? Promise.resolve();
  const mine = before
    .catch(() => undefined)
    .then(async () => {
      const release = releaser(undefined, await acquire(path, { timeoutMs }, false));
      try {
        return await fn();
      } finally {
        release();
      }
    });
  localQueues.set(path, mine);
  try {
    return await mine;
  } finally {
    if (localQueues.get(path) === mine) localQueues.delete(path);
  }
}

/**
 * Takes the lock for the rest of the process (released by the returned function, or when the process
 * ends in any way). Commands that change a project hold its lock so two of them never interleave.
 */
export async function holdLock(path: string, o: LockOptions): Promise<() => void> {
  return releaser(path, await acquire(path, o, true));
}
