// Docker side of the benchmarks: a dockerd to compare against (the host's if one answers, else one started here and
// stopped at the end), and a busybox image built from the host's busybox-static, since there is no registry access.
import { Buffer } from 'node:buffer';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout } from 'node:timers';
import Dockerode from 'dockerode';
import * as tar from 'tar-stream';
import { onCleanup, run } from './common.mjs';

export const SOCKET = '/var/run/docker.sock';
export const IMAGE = 'cmp-bench/busybox:latest';
const LOG = '/tmp/cmp-bench-dockerd.log';

export const docker = new Dockerode({ socketPath: SOCKET });

async function answers() {
  if (!existsSync(SOCKET)) return false;
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Makes sure an engine answers; a daemon started here is stopped by the cleanup steps. */
export async function ensureDockerd() {
  if (await answers()) return 'already running';
  const log = openSync(LOG, 'a');
  const child = spawn('dockerd', ['--host', `unix://${SOCKET}`], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  onCleanup(async () => {
    if (pid === undefined || !alive(pid)) return;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await answers()) return `started (pid ${pid}, log ${LOG})`;
    if (pid === undefined || !alive(pid)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = existsSync(LOG) ? readFileSync(LOG, 'utf8').split('\n').slice(-10).join('\n') : '';
  throw new Error(`dockerd did not answer on ${SOCKET}; log ${LOG}:\n${tail}`);
}

/** A root filesystem tar holding static busybox and its applets as symlinks. */
async function busyboxTar() {
  const applets = execFileSync('/usr/bin/busybox', ['--list'], { encoding: 'utf8' })
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'busybox');
  const pack = tar.pack();
  const mtime = new Date(0);
  for (const name of ['bin', 'etc', 'root', 'proc', 'sys', 'dev', 'usr', 'var'])
    pack.entry({ name, type: 'directory', mode: 0o755, mtime });
  pack.entry({ name: 'tmp', type: 'directory', mode: 0o1777, mtime });
  pack.entry({ name: 'bin/busybox', type: 'file', mode: 0o755, mtime }, readFileSync('/usr/bin/busybox'));
  for (const a of applets)
    pack.entry({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox', mode: 0o777, mtime });
  pack.entry({ name: 'etc/passwd', type: 'file', mode: 0o644, mtime }, 'root:x:0:0:root:/root:/bin/sh\n');
  pack.entry({ name: 'etc/group', type: 'file', mode: 0o644, mtime }, 'root:x:0:\n');
  pack.finalize();
  const chunks = [];
  for await (const c of Readable.from(pack)) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** Imports the busybox image into dockerd unless it is there; an image made here is removed at the end. */
export async function ensureBusyboxImage() {
  try {
    await docker.getImage(IMAGE).inspect();
    return IMAGE;
  } catch {
    // not there yet
  }
  const [repo, tag] = IMAGE.split(':');
  const stream = await docker.importImage(Readable.from([await busyboxTar()]), {
    repo,
    tag,
    changes: ['CMD ["sh"]', 'ENV PATH=/bin'],
  });
  let out = '';
  for await (const c of stream) out += String(c);
  if (/"error"/.test(out)) throw new Error(`docker import failed: ${out}`);
  onCleanup(() => run('docker', ['image', 'rm', '-f', IMAGE]));
  return IMAGE;
}

/** `docker save` of the busybox image, for `cmp image load`: the same bytes on both runtimes. */
export function saveBusyboxImage(file) {
  mkdirSync(dirname(file), { recursive: true });
  const r = run('docker', ['save', '-o', file, IMAGE]);
  if (r.error) throw new Error(`docker save: ${r.error}`);
  onCleanup(() => rmSync(file, { force: true }));
  return file;
}
