// Faults against cmp's locks: a holder killed with SIGKILL, a lock file naming a live but unrelated pid
// (a reused pid), several processes racing for a lock whose holder keeps being killed, and a command
// that waits on a project another command holds.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { holdLock, lockHolder } from '../../src/util/lock.js';
import { cmpSpawn, pollUntil, projectDir } from '../e2e/helpers.js';

const LOCK_MODULE = pathToFileURL(join(import.meta.dirname, '../../dist/util/lock.js')).href;
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cmp-lock-'));
  dirs.push(d);
  return d;
}

/** A node process running `body` with holdLock and withLock in scope; resolves once it prints `ready`. */
function child(body: string): Promise<ChildProcess> {
  const script = `const { holdLock, withLock } = await import(${JSON.stringify(LOCK_MODULE)});\n${body}`;
  const p = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(p);
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve(p);
    });
    p.on('exit', (code) => reject(new Error(`child exited (${code}) before it was ready: ${out}`)));
  });
}

function exited(p: ChildProcess): Promise<number | null> {
  return p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve(p.exitCode)
    : new Promise((r) => p.once('exit', (code) => r(code)));
}

const holdForever = (path: string): string =>
  `await holdLock(${JSON.stringify(path)}, { timeoutMs: 0 }); console.log('ready'); setInterval(() => {}, 1000);`;

describe('locks the kernel releases', () => {
  it('is free the moment its holder is killed with SIGKILL', async () => {
    const path = join(tempDir(), 'a.lock');
    const holder = await child(holdForever(path));
    await expect(holdLock(path, { timeoutMs: 0 })).rejects.toThrow(/is locked by `cmp.*` \(pid \d+\)/);
    holder.kill('SIGKILL');
    await exited(holder);
    const release = await holdLock(path, { timeoutMs: 0 });
    release();
  });

  it('is not held by a lock file that names a live, unrelated process (a reused pid)', async () => {
    const path = join(tempDir(), 'b.lock');
    writeFileSync(path, '1\n'); // pid 1 is alive and is not cmp
    const release = await holdLock(path, { timeoutMs: 0 });
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(path)).toBe(false);
  });

  it('says who holds it', async () => {
    const path = join(tempDir(), 'c.lock');
    const holder = await child(holdForever(path));
    expect(await lockHolder(path)).toEqual({
      pid: holder.pid,
      what: expect.stringMatching(/^cmp /) as string,
    });
  });

  it('is never held by two of four racing processes while its holders keep being killed', async () => {
    const dir = tempDir();
    const path = join(dir, 'd.lock');
    const inside = join(dir, 'inside');
    const counter = join(dir, 'counter');
    writeFileSync(counter, '0');
    const rounds = 40;
    // Each contender marks the critical section with an O_EXCL file: finding it there means two holders.
    const contender = `
      const fs = await import('node:fs');
      console.log('ready');
      for (let i = 0; i < ${rounds}; i++) {
        await withLock(${JSON.stringify(path)}, async () => {
          try { fs.writeFileSync(${JSON.stringify(inside)}, '', { flag: 'wx' }); }
          catch { console.error('OVERLAP'); process.exit(3); }
          const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8'));
          await new Promise((r) => setTimeout(r, Math.random() * 3));
          fs.writeFileSync(${JSON.stringify(counter)}, String(n + 1));
          fs.rmSync(${JSON.stringify(inside)});
        }, 60000);
      }`;
    const racers = await Promise.all([1, 2, 3, 4].map(() => child(contender)));
    // Meanwhile, holders that die while holding: their successors must not overlap either.
    for (let k = 0; k < 5; k++) {
      const victim = await child(
        `await withLock(${JSON.stringify(path)}, async () => { console.log('ready'); await new Promise(() => {}); }, 60000);`,
      );
      victim.kill('SIGKILL');
      await exited(victim);
    }
    const codes = await Promise.all(racers.map(exited));
    expect(codes).toEqual([0, 0, 0, 0]);
    expect(Number(readFileSync(counter, 'utf8'))).toBe(4 * rounds);
  }, 120_000);
});

describe('a command waiting on a project another command holds', () => {
  it('says which command holds it, then goes on when that one dies', async () => {
    const { dir, name } = projectDir('services:\n  one:\n    image: busybox\n');
    const run = tempDir();
    const env = { CMP_RUN_ROOT: run, CMP_STATE_ROOT: join(run, 'state') };
    mkdirSync(join(run, name), { recursive: true });
    const holder = await child(holdForever(join(run, name, 'project.lock')));
    const waiting = cmpSpawn(['-p', name, 'rm', '-f'], { cwd: dir, env });
    let stderr = '';
    waiting.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await pollUntil('the waiting line', () => Promise.resolve(stderr.includes('waiting for')), 20_000);
    expect(stderr).toContain(`waiting for \`cmp `);
    expect(stderr).toContain(`(pid ${holder.pid}) on project ${name}`);
    holder.kill('SIGKILL');
    expect(await exited(waiting)).toBe(0);
    // The supervisor the command started leaves by itself: the project is empty.
    await pollUntil('the supervisor to leave', () =>
      lockHolder(join(run, name, 'supervisor.pid')).then((h) => h === undefined),
    );
  }, 60_000);
});
