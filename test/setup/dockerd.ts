// A Docker engine for the docker-driver tests: the host's if /var/run/docker.sock answers, otherwise a dockerd
// started here in the background (docker.io is installed in CI) and left running for the rest of the suite.
// A pid file records that this setup started it, so teardownDockerd() (called once at the very end) stops only
// a daemon the tests own.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import * as tar from 'tar-stream';

export const DOCKER_SOCKET = '/var/run/docker.sock';
export const BUSYBOX_IMAGE = 'cmp-test/busybox:latest';

const STATE_DIR = join(tmpdir(), 'cmp-test-dockerd');
const PID_FILE = join(STATE_DIR, 'dockerd.pid');
/**
 * Tags this run of the suite imported into the engine, one a line: its teardown removes them and
 * nothing else. Keyed by the run (global setup sets CMP_TEST_RUN, workers inherit it), so one run's
 * teardown leaves what another run on the same host made.
 */
function madeImagesFile(): string {
  return join(STATE_DIR, `made-images-${process.env.CMP_TEST_RUN ?? process.pid}`);
}
export const DOCKERD_LOG = join(STATE_DIR, 'dockerd.log');
const START_TIMEOUT_MS = 30_000;

export function testDocker(): Dockerode {
  return new Dockerode({ socketPath: DOCKER_SOCKET });
}

async function answers(): Promise<boolean> {
  if (!existsSync(DOCKER_SOCKET)) return false;
  try {
    await testDocker().ping();
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function logTail(): string {
  try {
    return readFileSync(DOCKERD_LOG, 'utf8').trim().split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resolves once an engine answers on /var/run/docker.sock, starting dockerd if none does. */
export async function ensureDockerd(): Promise<void> {
  if (await answers()) return;
  mkdirSync(STATE_DIR, { recursive: true });
  const log = openSync(DOCKERD_LOG, 'a');
  // Detached: the daemon must outlive the test file (worker) that happened to start it.
  const child = spawn('dockerd', ['--host', `unix://${DOCKER_SOCKET}`], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let exited: string | undefined;
  child.on('exit', (code, sig) => (exited = `exited with ${sig ?? code}`));
  child.on('error', (e) => (exited = `could not start: ${e.message}`));
  child.unref();
  // Remember whether docker0 was there, so teardown removes the bridge only if our dockerd made it.
  const hadBridge = existsSync('/sys/class/net/docker0');
  if (child.pid !== undefined) writeFileSync(PID_FILE, JSON.stringify({ pid: child.pid, hadBridge }));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await answers()) return;
    if (exited) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `dockerd did not answer on ${DOCKER_SOCKET} within ${START_TIMEOUT_MS / 1000}s` +
      `${exited ? ` (${exited})` : ''}; log ${DOCKERD_LOG}:\n${logTail()}`,
  );
}

/** Removes the images ensureBusyboxImage() imported; images that were there before are left alone. */
async function removeMadeImages(): Promise<void> {
  const file = madeImagesFile();
  if (!existsSync(file)) return;
  const tags = new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((t) => t !== ''),
  );
  rmSync(file, { force: true });
  if (!(await answers())) return;
  for (const tag of tags) {
    await testDocker()
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  }
}

/**
 * Leaves the engine as the suite found it: the images the suite imported are removed, and the dockerd
 * ensureDockerd() started, if it did, is stopped; a host daemon keeps running.
 */
export async function teardownDockerd(): Promise<void> {
  await removeMadeImages();
  if (!existsSync(PID_FILE)) return;
  const { pid, hadBridge } = JSON.parse(readFileSync(PID_FILE, 'utf8')) as {
    pid: number;
    hadBridge: boolean;
  };
  rmSync(PID_FILE, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  // dockerd leaves its bridge behind when it stops; the machine is left as the suite found it.
  if (!hadBridge) spawnSync('ip', ['link', 'del', 'docker0'], { stdio: 'ignore' });
}

function addEntry(
  pack: tar.Pack,
  header: Partial<tar.Header> & { name: string },
  body: string | Buffer = '',
): void {
  pack.entry(header, body);
}

/** A root filesystem tar: static busybox with its applets as symlinks, like `busybox --install -s`. */
async function busyboxRootfs(): Promise<Buffer> {
  const busybox = readFileSync('/usr/bin/busybox');
  const applets = execFileSync('/usr/bin/busybox', ['--list'], { encoding: 'utf8' })
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'busybox');
  const pack = tar.pack();
  const mtime = new Date(0);
  for (const d of ['bin', 'etc', 'root', 'home', 'proc', 'sys', 'dev', 'usr', 'usr/bin', 'var']) {
    addEntry(pack, { name: d, type: 'directory', mode: 0o755, mtime });
  }
  addEntry(pack, { name: 'tmp', type: 'directory', mode: 0o1777, mtime });
  addEntry(pack, { name: 'bin/busybox', type: 'file', mode: 0o755, mtime }, busybox);
  for (const a of applets)
    addEntry(pack, { name: `bin/${a}`, type: 'symlink', linkname: 'busybox', mode: 0o777, mtime });
  addEntry(
    pack,
    { name: 'etc/passwd', type: 'file', mode: 0o644, mtime },
    'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
  );
  addEntry(pack, { name: 'etc/group', type: 'file', mode: 0o644, mtime }, 'root:x:0:\nnogroup:x:65534:\n');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of Readable.from(pack)) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** Makes the busybox test image from the host's busybox-static (no registry needed), once. */
export async function ensureBusyboxImage(tag = BUSYBOX_IMAGE): Promise<string> {
  const docker = testDocker();
  try {
    await docker.getImage(tag).inspect();
    return tag;
  } catch {
    // not there yet
  }
  const [repo, version = 'latest'] = tag.split(/:(?=[^/:]+$)/);
  const rootfs = await busyboxRootfs();
  const stream = await docker.importImage(Readable.from([rootfs]), {
    repo,
    tag: version,
    changes: ['CMD ["sh"]', 'ENV PATH=/bin:/usr/bin'],
  });
  let out = '';
  for await (const c of stream) out += String(c);
  mkdirSync(STATE_DIR, { recursive: true });
  appendFileSync(madeImagesFile(), `${tag}\n`);
  if (/"error"/.test(out)) throw new Error(`import of ${tag} failed: ${out}`);
  await docker.getImage(tag).inspect();
  return tag;
}
