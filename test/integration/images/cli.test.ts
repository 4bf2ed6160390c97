// The built binary: `cmp image load` then `cmp image ls` and `cmp image rm` against a temp state root.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDockerSaveTar, writeOciLayoutTar, type BuiltImage } from '../../setup/images.js';
import { tempRoot } from './helpers.js';

const BIN = process.env.CMP_TEST_BIN ?? join(process.cwd(), 'dist/bin/cmp.js');

describe('cmp image load / ls / rm', () => {
  let root: ReturnType<typeof tempRoot>;
  let env: NodeJS.ProcessEnv;
  const cmp = (...args: string[]): string =>
    execFileSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });

  beforeAll(() => {
    root = tempRoot();
    env = { ...process.env, CMP_STATE_ROOT: join(root.dir, 'state') };
  });
  afterAll(() => root?.cleanup());

  it('loads both archive kinds and lists them', async () => {
    const save = join(root.dir, 'save.tar.gz');
    const saved: BuiltImage = await writeDockerSaveTar(save, {
      tags: ['cmp-test/busybox:saved'],
      gzip: true,
    });
    const oci = join(root.dir, 'oci.tar');
    await writeOciLayoutTar(oci, { ref: '127.0.0.1:5000/cmp/oci:1' });

    expect(cmp('image', 'load', save)).toBe('Loaded image: cmp-test/busybox:saved\n');
    expect(cmp('image', 'load', oci)).toBe('Loaded image: 127.0.0.1:5000/cmp/oci:1\n');

    const rows = cmp('image', 'ls', '--format', 'json')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.Repository, r.Tag])).toEqual([
      ['127.0.0.1:5000/cmp/oci', '1'],
      ['cmp-test/busybox', 'saved'],
    ]);
    expect(rows[1]?.FullID).toBe(saved.configDigest);

    const table = cmp('image', 'ls').split('\n');
    expect(table[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+SIZE$/);
    expect(table[2]).toMatch(
      new RegExp(`^cmp-test/busybox\\s+saved\\s+${saved.configDigest.slice(7, 19)}\\s+\\d`),
    );
    // both archives hold the same image (same config), so -q prints its id once
    expect(cmp('image', 'ls', '-q')).toBe(`${saved.configDigest.slice(7, 19)}\n`);
  });

  it('removes images and reports unknown ones with exit code 1', () => {
    expect(cmp('image', 'rm', 'cmp-test/busybox:saved')).toBe('Untagged: docker.io/cmp-test/busybox:saved\n');
    const res = spawnSync(process.execPath, [BIN, 'image', 'rm', 'nope:nope'], { env, encoding: 'utf8' });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('no such image: nope:nope\n');
    expect(cmp('image', 'ls', '--format', 'json')).toContain('"Repository":"127.0.0.1:5000/cmp/oci"');
    expect(cmp('image', 'ls', '--format', 'json')).not.toContain('cmp-test/busybox');
  });
});
