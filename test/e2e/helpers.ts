// Drives the built `cmp` binary in temporary project folders, as a user would.
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach } from 'vitest';
import { assertNoLeaks } from '../setup/leaks.js';
import { ensureBusyboxImage, ensureDockerd } from '../setup/dockerd.js';
import { writeDockerSaveTar } from '../setup/images.js';

export const CMP_BIN = join(import.meta.dirname, '../../dist/bin/cmp.js');
export const EXAMPLES = join(import.meta.dirname, '../../examples');

export interface CmpResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function cmp(
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CmpResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CMP_BIN, ...args],
      {
        cwd: opts.cwd,
        env: { ...process.env, CMP_PROGRESS: 'plain', ...opts.env },
        timeout: opts.timeoutMs ?? 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts a long-running cmp command (logs -f, attached up) and returns the process. */
export function cmpSpawn(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return spawn(process.execPath, [CMP_BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, CMP_PROGRESS: 'plain', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A fresh folder holding compose.yaml with the given text, and a project name no other test uses. */
export function projectDir(composeYaml: string): { dir: string; name: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-e2e-'));
  writeFileSync(join(dir, 'compose.yaml'), composeYaml);
  return { dir, name: `e2e${randomBytes(3).toString('hex')}` };
}

/** A copy of an example folder, so the test never writes into the repository. */
export function exampleCopy(example: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cmp-ex-${example}-`));
  cpSync(join(EXAMPLES, example), dir, { recursive: true });
  return dir;
}

export async function pollUntil<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function httpGet(url: string): Promise<string> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.text());
}

/**
 * The e2e files' shared hooks: after each test, run what it queued (newest first), then check that cmp
 * left nothing on the host; once more after the file.
 */
export function cleanupAfterEach(): {
  later: (fn: () => Promise<unknown>) => void;
  downAfter: (dir: string, project: string) => void;
} {
  const queued: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    while (queued.length) await queued.pop()?.();
    await assertNoLeaks();
  });
  afterAll(assertNoLeaks);
  const later = (fn: () => Promise<unknown>): void => void queued.push(fn);
  return {
    later,
    downAfter: (dir, project) => later(() => cmp(['-p', project, 'down', '-v', '-t', '1'], { cwd: dir })),
  };
}

/** `ps -a --format json` of a project, one object per container; fails on an error or anything on stderr. */
export async function psJson<T>(dir: string, project: string): Promise<T[]> {
  const r = await cmp(['-p', project, 'ps', '-a', '--format', 'json'], { cwd: dir });
  if (r.code !== 0 || r.stderr !== '') throw new Error(`cmp ps failed (${r.code}): ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

/** The busybox test image in a Docker Engine and in cmp's own image store, for tests of both runtimes. */
export async function busyboxOnBothRuntimes(image: string): Promise<void> {
  await ensureDockerd();
  await ensureBusyboxImage(image);
  const tar = join(mkdtempSync(join(tmpdir(), 'cmp-busybox-')), 'busybox.tar');
  await writeDockerSaveTar(tar, { tags: [image] });
  const load = await cmp(['image', 'load', '-i', tar], { cwd: tmpdir() });
  if (load.code !== 0) throw new Error(`cmp image load failed (${load.code}): ${load.stderr}`);
}

/** A loopback TCP port free a moment ago: to publish on, or (nothing listening) to be refused by. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => ok(port));
    });
  });
}
