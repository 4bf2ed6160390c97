// The busybox test image as the base of a test file's builds and containers: loaded into cmp's store (and,
// for tests of both runtimes, into the test dockerd) before the file's tests, removed after them.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { ensureDockerd, testDocker } from '../setup/dockerd.js';
import { writeDockerSaveTar } from '../setup/images.js';
import { cmp } from './helpers.js';

export function useBaseImage(ref: string, opts: { docker?: boolean } = {}): void {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmp-base-image-'));
    try {
      const tar = join(dir, 'base.tar');
      await writeDockerSaveTar(tar, { tags: [ref] });
      const r = await cmp(['image', 'load', tar], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      // The same tar on both runtimes: builds on each start from one image config (Env, PATH included).
      if (opts.docker) {
        await ensureDockerd();
        const docker = testDocker();
        const stream = await docker.loadImage(createReadStream(tar));
        await new Promise<void>((ok, fail) =>
          docker.modem.followProgress(stream, (e) => (e ? fail(e) : ok())),
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
  afterAll(async () => {
    await cmp(['image', 'rm', ref], { cwd: tmpdir() });
    if (opts.docker) {
      await testDocker()
        .getImage(ref)
        .remove()
        .catch(() => undefined);
    }
  });
}
