import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../../src/runtime/embedded/images/store.js';
import {
  buildImage,
  makeLayer,
  whiteoutImage,
  writeDockerSaveTar,
  writeOciLayoutTar,
} from '../../setup/images.js';
import { tempRoot, withOverlay } from './helpers.js';

describe('image load, ls and rm', () => {
  let root: ReturnType<typeof tempRoot>;
  beforeAll(() => {
    root = tempRoot();
  });
  afterAll(() => root?.cleanup());

  it('loads a docker save tar with its tags', async () => {
    const tarPath = join(root.dir, 'save.tar');
    const img = await writeDockerSaveTar(tarPath, {
      tags: ['cmp-test/busybox:saved', 'localhost:5000/bb:1'],
    });
    const store = new ImageStore(join(root.dir, 'save'));
    const loaded = await store.load(tarPath);
    expect(loaded.map((i) => i.ref).sort()).toEqual([
      'docker.io/cmp-test/busybox:saved',
      'localhost:5000/bb:1',
    ]);
    const info = await store.inspect('cmp-test/busybox:saved');
    expect(info?.id).toBe(img.configDigest);
    const [dir] = await store.layerDirs(info?.id ?? '');
    expect(readlinkSync(join(dir as string, 'bin/sh'))).toBe('/bin/busybox');
    expect(execFileSync(join(dir as string, 'bin/busybox'), ['echo', 'runs'], { encoding: 'utf8' })).toBe(
      'runs\n',
    );
  });

  it('loads a gzip-compressed docker save tar with whiteout layers', async () => {
    const tarPath = join(root.dir, 'save-wh.tar.gz');
    await writeDockerSaveTar(tarPath, {
      tags: ['wh:gz'],
      gzip: true,
      image: await whiteoutImage({ compression: 'none' }),
    });
    const store = new ImageStore(join(root.dir, 'save-gz'));
    const [info] = await store.load(tarPath);
    expect(info?.ref).toBe('docker.io/library/wh:gz');
    await withOverlay(await store.layerDirs(info?.id ?? ''), (m) => {
      expect(readdirSync(join(m, 'd'))).toEqual(['b']);
    });
  });

  it('loads OCI image layout tars, plain and gzip, with zstd layers', async () => {
    const store = new ImageStore(join(root.dir, 'oci'));
    const plain = join(root.dir, 'oci.tar');
    const img = await writeOciLayoutTar(plain, { ref: 'cmp-test/busybox:oci' });
    const [a] = await store.load(plain);
    expect(a).toMatchObject({ ref: 'docker.io/cmp-test/busybox:oci', id: img.configDigest });
    const gz = join(root.dir, 'oci.tar.gz');
    const zimg = await writeOciLayoutTar(gz, {
      ref: '127.0.0.1:5000/z:zstd',
      gzip: true,
      compression: 'zstd',
    });
    const [b] = await store.load(gz);
    expect(b).toMatchObject({ ref: '127.0.0.1:5000/z:zstd', id: zimg.configDigest });
  });

  it('rejects an archive that is neither format', async () => {
    const bad = join(root.dir, 'bad.tar');
    execFileSync('tar', ['-c', '-f', bad, '-C', root.dir, 'oci.tar']);
    const store = new ImageStore(join(root.dir, 'bad'));
    await expect(store.load(bad)).rejects.toThrow(/neither a docker save archive nor an OCI image layout/);
  });

  it('ls lists tags; rm removes a tag, then the image and only the layers nobody else uses', async () => {
    const dir = join(root.dir, 'rm');
    const store = new ImageStore(dir);
    const base = await makeLayer([{ path: 'shared', content: 'shared\n' }]);
    const one = buildImage([base, await makeLayer([{ path: 'one', content: '1' }])], { compression: 'none' });
    const two = buildImage([base, await makeLayer([{ path: 'two', content: '2' }])], { compression: 'none' });
    await writeDockerSaveTar(join(root.dir, 'one.tar'), { tags: ['one:a', 'one:b'], image: one });
    await writeDockerSaveTar(join(root.dir, 'two.tar'), { tags: ['two:latest'], image: two });
    await store.load(join(root.dir, 'one.tar'));
    await store.load(join(root.dir, 'two.tar'));
    const layers = (): string[] => readdirSync(join(dir, 'layers'));
    expect((await store.list()).map((i) => i.ref)).toEqual([
      'docker.io/library/one:a',
      'docker.io/library/one:b',
      'docker.io/library/two:latest',
    ]);
    expect(layers()).toHaveLength(3);

    await store.remove('one:a');
    expect((await store.list()).map((i) => i.ref)).toEqual([
      'docker.io/library/one:b',
      'docker.io/library/two:latest',
    ]);
    expect(layers()).toHaveLength(3);

    await store.remove('one:b');
    expect(await store.inspect(one.configDigest)).toBeUndefined();
    expect(layers().sort()).toEqual(two.layers.map((l) => l.diffId.slice(7)).sort());
    const dirs = await store.layerDirs('two');
    expect(readFileSync(join(dirs[0] as string, 'shared'), 'utf8')).toBe('shared\n');

    await store.remove(two.configDigest.slice(7, 19));
    expect(layers()).toEqual([]);
    expect(await store.list()).toEqual([]);
    await expect(store.remove('two')).rejects.toThrow('no such image: two');
  });
});
