// The "it crashed, fix the file, up again" loop through the `cmp` binary: a container that exited on its
// own must not keep its published port from its own replacement, nor from anyone once it is down.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupAfterEach, cmp, pollUntil, projectDir, psJson } from './helpers.js';

const { downAfter } = cleanupAfterEach();

function crashing(port: number, code: number): string {
  return `
services:
  web:
    x-cmp:
      host_rootfs: true
    command: sh -c "exit ${code}"
    ports: ["${port}:80"]
`;
}

describe('a crashed container with a published port', () => {
  it('is recreated after the file is fixed, with and without --force-recreate, and lets its port go', async () => {
    const port = 18560;
    const { dir, name } = projectDir(crashing(port, 1));
    downAfter(dir, name);
    const first = await cmp(['-p', name, 'up', '-d'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    await pollUntil('web to exit', async () => {
      const [row] = await psJson<{ State: string; ExitCode: number }>(dir, name);
      return row?.State === 'exited' && row.ExitCode === 1;
    });

    writeFileSync(join(dir, 'compose.yaml'), crashing(port, 2));
    const again = await cmp(['-p', name, 'up', '-d'], { cwd: dir });
    expect(again.stderr).not.toContain('already in use');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Recreate');

    const forced = await cmp(['-p', name, 'up', '-d', '--force-recreate'], { cwd: dir });
    expect(forced.stderr).not.toContain('already in use');
    expect(forced.code).toBe(0);

    // Down, it holds the port for nobody: another project may publish it.
    const other = projectDir(`
services:
  holder:
    x-cmp:
      host_rootfs: true
    init: true
    command: sleep 1000
    ports: ["${port}:80"]
`);
    downAfter(other.dir, other.name);
    const taken = await pollUntil('the other project to get the port', async () => {
      const r = await cmp(['-p', other.name, 'up', '-d'], { cwd: other.dir });
      return r.code === 0 ? r : undefined;
    });
    expect(taken.code).toBe(0);

    // And now that someone else holds it, the crashed service's own start is refused, as it must be.
    writeFileSync(join(dir, 'compose.yaml'), crashing(port, 3));
    const refused = await cmp(['-p', name, 'up', '-d'], { cwd: dir });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`host port ${port}/tcp on 0.0.0.0 is already in use`);
  });
});
