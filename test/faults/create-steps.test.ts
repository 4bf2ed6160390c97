// kill -9 of `cmp up -d` at each step of a container's create (CMP_FAULT_AT names the step: the process
// SIGKILLs itself there, so every run hits the same moment). Whatever was made up to then must be found
// and removed by the next command: `up -d` then converges to one running container per service, and
// `down -v` leaves no link, namespace, mount, cgroup, bundle, socket, process or container folder.
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbAndWeb, leftovers, loadImage, oneRunningEach, ps } from './private-root.js';
import { cleanupAfterEach, cmp, projectDir } from '../e2e/helpers.js';
import { bundleDir, exitDir } from '../../src/runtime/embedded/containers/paths.js';
import { newContainerId } from '../../src/runtime/embedded/containers/create.js';

const { downAfter } = cleanupAfterEach();

const STACK = dbAndWeb('    networks: [default, back]\n', 'networks:\n  back: {}\n');

const STEPS = [
  'create:identity',
  'create:rootfs',
  'create:sandbox',
  'create:networks',
  'create:bundle',
  'create:launched',
  'create:recorded',
];

beforeAll(loadImage, 60_000);

describe('kill -9 of up -d during a create', () => {
  it.each(STEPS)(
    'at %s: the next up -d converges and down -v leaves nothing',
    async (step) => {
      const { dir, name } = projectDir(STACK);
      downAfter(dir, name);
      const killed = await cmp(['-p', name, 'up', '-d'], { cwd: dir, env: { CMP_FAULT_AT: step } });
      expect(killed.code).not.toBe(0);

      // What is left is visible: a half-made container is shown (dead), never hidden.
      const seen = await cmp(['-p', name, 'ps', '-a'], { cwd: dir });
      expect(seen.code).toBe(0);

      const up = await cmp(['-p', name, 'up', '-d'], { cwd: dir });
      expect(up.stderr).not.toMatch(/error/i);
      expect(up.code).toBe(0);
      expect(oneRunningEach(await ps(dir, name))).toEqual(['db:running', 'web:running']);

      const down = await cmp(['-p', name, 'down', '-v', '-t', '1'], { cwd: dir });
      expect(down.code).toBe(0);
      expect(leftovers()).toEqual([]);
    },
    90_000,
  );

  // `up` creates containers in parallel: the kill at one container's step can find another one with its
  // folders made and no identity written yet (seen in CI). Nothing names its project; the next command
  // that changes any project removes it.
  it('a container folder left without an identity is removed by the next up', async () => {
    const { dir, name } = projectDir(STACK);
    downAfter(dir, name);
    const orphan = newContainerId();
    mkdirSync(exitDir(orphan), { recursive: true });
    mkdirSync(bundleDir(orphan), { recursive: true });
    const up = await cmp(['-p', name, 'up', '-d'], { cwd: dir });
    expect(up.code, up.stderr).toBe(0);
    const down = await cmp(['-p', name, 'down', '-v', '-t', '1'], { cwd: dir });
    expect(down.code).toBe(0);
    expect(leftovers()).toEqual([]);
  }, 90_000);
});
