// An attached `cmp up` lets go of the project lock once its changes are made: other commands from
// another terminal act at once instead of waiting for the up to end.
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, cmp, cmpSpawn, pollUntil, projectDir } from './helpers.js';

const { downAfter, later } = cleanupAfterEach();

describe('attached up and the project lock', () => {
  it('lets stop in another terminal act while up is attached', async () => {
    const { dir, name } = projectDir(`
services:
  s:
    x-cmp: { host_rootfs: true }
    init: true
    command: sh -c "echo attached-and-running; sleep 1000"
`);
    downAfter(dir, name);
    const up = cmpSpawn(['-p', name, 'up'], { cwd: dir });
    let out = '';
    up.stdout.on('data', (d: Buffer) => (out += d.toString()));
    up.stderr.resume();
    later(async () => {
      up.kill('SIGKILL');
    });
    await pollUntil('the attached logs', () => Promise.resolve(out.includes('attached-and-running')), 60_000);
    const stop = await cmp(['-p', name, 'stop', '-t', '1', 's'], { cwd: dir, timeoutMs: 30_000 });
    expect(stop.stderr).not.toContain('waiting for');
    expect(stop.code).toBe(0);
    // The attached up sees its only container stop and ends, as compose's does.
    const code = await new Promise<number | null>((r) =>
      up.exitCode !== null ? r(up.exitCode) : up.once('exit', (c) => r(c)),
    );
    expect(code).toBe(0);
  }, 90_000);
});
