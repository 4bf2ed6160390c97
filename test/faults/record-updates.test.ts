// Lost updates on a container's record: the CLI and the supervisor both change it (stop marks,
// starts, health, restart counters), in one process and from several. Every update must land.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const META_MODULE = pathToFileURL(
  join(import.meta.dirname, '../../dist/runtime/embedded/containers/meta.js'),
).href;
const root = mkdtempSync(join(tmpdir(), 'cmp-meta-'));
const ID = 'f00d'.repeat(16);
let meta: typeof import('../../src/runtime/embedded/containers/meta.js');

beforeAll(async () => {
  process.env.CMP_STATE_ROOT = root;
  meta = await import('../../src/runtime/embedded/containers/meta.js');
  const record = { id: ID, name: 'p-s-1', labels: {}, restartCount: 0 } as unknown as Parameters<
    typeof meta.writeMeta
  >[0];
  await meta.writeMeta(record);
});

afterAll(() => {
  delete process.env.CMP_STATE_ROOT;
  rmSync(root, { recursive: true, force: true });
});

/** A process that bumps restartCount `n` times, each a separate read-change-write. */
function bumper(n: number): Promise<number | null> {
  const script = `const { updateMeta } = await import(${JSON.stringify(META_MODULE)});
    for (let i = 0; i < ${n}; i++) await updateMeta(${JSON.stringify(ID)}, (m) => { m.restartCount += 1; });`;
  const p = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, CMP_STATE_ROOT: root },
    stdio: 'inherit',
  });
  return new Promise((r) => p.on('exit', (code) => r(code)));
}

describe('container record updates', () => {
  it('keeps every one of 200 concurrent updates in one process', async () => {
    const before = (await meta.readMeta(ID))?.restartCount ?? 0;
    await Promise.all(
      Array.from({ length: 200 }, () =>
        meta.updateMeta(ID, (m) => {
          m.restartCount += 1;
        }),
      ),
    );
    expect((await meta.readMeta(ID))?.restartCount).toBe(before + 200);
  });

  it('keeps every update of two processes making 300 each while this one makes 100 more', async () => {
    const before = (await meta.readMeta(ID))?.restartCount ?? 0;
    const mine = (async () => {
      for (let i = 0; i < 100; i++)
        await meta.updateMeta(ID, (m) => {
          m.stoppedByUser = true;
          m.restartCount += 1;
        });
    })();
    const codes = await Promise.all([bumper(300), bumper(300), mine]);
    expect(codes.slice(0, 2)).toEqual([0, 0]);
    const after = await meta.readMeta(ID);
    expect(after?.restartCount).toBe(before + 700);
    expect(after?.stoppedByUser).toBe(true);
  }, 120_000);
});
