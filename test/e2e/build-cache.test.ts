// The build cache (buildah's store under <state>/build) through the binary: `cmp builder prune` keeps the
// cache of images the store still has (a rebuild re-runs nothing), `cmp image prune` drops the cache of
// images that are gone, and `cmp builder prune -a` drops all of it while the images stay. Each test run
// has a state root of its own, so other builds on the machine keep their cache.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDockerSaveTar } from '../setup/images.js';
import { cleanupAfterEach, cmp, projectDir } from './helpers.js';

cleanupAfterEach();
const base = mkdtempSync(join(tmpdir(), 'cmp-build-cache-'));
const env = { CMP_STATE_ROOT: join(base, 'state') };
const BASE = 'cmp-test/cache-base:1';

/** Images in the build store (the cache), as buildah lists them. */
function buildahImages(): string[] {
  const store = join(env.CMP_STATE_ROOT, 'build');
  const out = execFileSync(
    'buildah',
    ['--root', join(store, 'storage'), '--runroot', join(store, 'run'), '--storage-driver', 'overlay'].concat(
      ['images', '-a', '-q'],
    ),
    { encoding: 'utf8' },
  );
  execFileSync('sh', ['-c', `grep -o ' ${store}[^ ]*' /proc/self/mountinfo | xargs -r umount -l`]);
  return out.split('\n').filter(Boolean);
}

beforeAll(async () => {
  const tar = join(base, 'base.tar');
  await writeDockerSaveTar(tar, { tags: [BASE] });
  const r = await cmp(['image', 'load', tar], { cwd: base, env });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => {
  execFileSync('sh', ['-c', `grep -o ' ${base}[^ ]*' /proc/self/mountinfo | xargs -r umount -l`]);
  rmSync(base, { recursive: true, force: true });
});

describe('the build cache', () => {
  it('is pruned with the images it built, kept for the ones still there, and cleared by builder prune -a', async () => {
    const { dir, name } = projectDir(`services:
  a:
    build: ./a
  b:
    build: ./b
`);
    for (const [svc, word] of [
      ['a', 'alpha'],
      ['b', 'beta'],
    ] as const) {
      mkdirSync(join(dir, svc));
      // Each build stamps the time: an image id only stays the same when the RUN came from the cache.
      writeFileSync(join(dir, svc, 'Dockerfile'), `FROM ${BASE}\nRUN echo ${word} > /w && date +%s%N > /t\n`);
    }
    const run = (...args: string[]) => cmp(['-p', name, ...args], { cwd: dir, env, timeoutMs: 300_000 });
    const build = async (...services: string[]) => {
      const r = await run('build', ...services);
      expect(r.code, r.stderr).toBe(0);
    };
    const id = async (svc: string) =>
      (JSON.parse((await run('image', 'inspect', `${name}-${svc}`)).stdout) as { Id: string }[])[0]?.Id;

    await build();
    const [a1, b1] = [await id('a'), await id('b')];

    // Both images are there: nothing they need goes, and a rebuild re-runs nothing.
    const keep = await run('builder', 'prune', '-f');
    expect(keep.code, keep.stderr).toBe(0);
    expect(keep.stdout).toMatch(/^Total reclaimed space: /m);
    await build();
    expect([await id('a'), await id('b')]).toEqual([a1, b1]);

    // a's image is removed: image prune drops its cache, b keeps its own.
    expect((await run('image', 'rm', `${name}-a`)).code).toBe(0);
    const pruned = await run('image', 'prune', '-f');
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/^Deleted build cache objects:\n[0-9a-f]{12,64}\n/m);
    await build();
    expect(await id('b')).toBe(b1);
    expect(await id('a')).not.toBe(a1);

    // -a: the build store is empty, the images stay, and the next build starts cold.
    const all = await run('builder', 'prune', '-a', '-f');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^Deleted build cache objects:\n/);
    expect(buildahImages()).toEqual([]);
    expect(await id('b')).toBe(b1);
    await build('b');
    expect(await id('b')).not.toBe(b1);
  });

  it('is the embedded runtime only', async () => {
    const r = await cmp(['--runtime', 'docker', 'builder', 'prune'], { cwd: base, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cmp builder manages the embedded runtime only/);
  });
});
