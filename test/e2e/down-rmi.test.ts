// `cmp down --rmi all` removes the services' images on both runtimes (issue 21: the embedded runtime used
// to keep them with a warning, while `cmp image rm` could remove them).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ensureBusyboxImage, ensureDockerd } from '../setup/dockerd.js';
import { writeDockerSaveTar } from '../setup/images.js';
import { cleanupAfterEach, cmp, projectDir } from './helpers.js';

const { later } = cleanupAfterEach();

/** An image under a tag of this test's own, so removing it touches no other test's image. */
async function ownImage(runtime: 'embedded' | 'docker'): Promise<string> {
  const tag = `cmp-rmi-${randomBytes(4).toString('hex')}:1`;
  if (runtime === 'docker') {
    await ensureDockerd();
    await ensureBusyboxImage(tag);
    return tag;
  }
  const tar = join(mkdtempSync(join(tmpdir(), 'cmp-rmi-')), 'image.tar');
  await writeDockerSaveTar(tar, { tags: [tag] });
  const load = await cmp(['image', 'load', '-i', tar], { cwd: tmpdir() });
  if (load.code !== 0) throw new Error(`cmp image load failed (${load.code}): ${load.stderr}`);
  later(() => cmp(['image', 'rm', tag], { cwd: tmpdir() }));
  return tag;
}

describe.each(['embedded', 'docker'] as const)('cmp down --rmi all on the %s runtime', (runtime) => {
  it("removes the services' images with the containers", async () => {
    const image = await ownImage(runtime);
    const { dir, name } = projectDir(
      `services:\n  a:\n    image: ${image}\n    command: ["sleep", "30"]\n    network_mode: none\n`,
    );
    const run = (args: string[]) => cmp(['--runtime', runtime, '-p', name, ...args], { cwd: dir });
    later(() => run(['down', '-t', '1']));
    expect((await run(['up', '-d', '--pull', 'never'])).code).toBe(0);
    const down = await run(['down', '--rmi', 'all', '-t', '1']);
    expect(down.code).toBe(0);
    expect(down.stderr).not.toMatch(/not supported/);
    // The image is gone: an `up` that may not pull has nothing to run.
    const again = await run(['up', '-d', '--pull', 'never']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/cmp-rmi-/);
  });
});
