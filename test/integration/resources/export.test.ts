// Layers re-made from the store (for save and push): the same directory always gives the same bytes,
// and whiteouts and opaque directories survive a save and load into another store.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportImage } from '../../../src/runtime/embedded/images/export.js';
import { StoreLayout } from '../../../src/runtime/embedded/images/layout.js';
import { ImageStore } from '../../../src/runtime/embedded/images/store.js';
import { whiteoutImage, writeDockerSaveTar } from '../../setup/images.js';
import { mkdirp, tempRoot, withOverlay } from '../images/helpers.js';

describe('exported layers', () => {
  let root: ReturnType<typeof tempRoot>;
  beforeAll(() => {
    root = tempRoot('cmp-export-');
  });
  afterAll(() => root?.cleanup());

  it('are deterministic: two exports of one image give the same config and diff_ids', async () => {
    const store = new ImageStore(join(root.dir, 'a'));
    await writeDockerSaveTar(join(root.dir, 'wh.tar'), {
      tags: ['cmp-test/wh:1'],
      image: await whiteoutImage({ compression: 'none' }),
    });
    const [loaded] = await store.load(join(root.dir, 'wh.tar'));
    const found = await store.details(loaded?.id ?? '');
    if (!found) throw new Error('loaded image not found');
    const layout = new StoreLayout(store.root);
    const one = await exportImage(layout, found.record, mkdirp(join(root.dir, 'w1')));
    const two = await exportImage(layout, found.record, mkdirp(join(root.dir, 'w2')));
    expect(one.layers.map((l) => l.diffId)).toEqual(two.layers.map((l) => l.diffId));
    expect(one.configDigest).toBe(two.configDigest);
    expect(one.layers).toHaveLength(3);
  });

  it('keep deletions: a saved whiteout image loads into another store with the same merged view', async () => {
    const store = new ImageStore(join(root.dir, 'b'));
    await writeDockerSaveTar(join(root.dir, 'wh2.tar'), {
      tags: ['cmp-test/wh:2'],
      image: await whiteoutImage({ compression: 'none' }),
    });
    await store.load(join(root.dir, 'wh2.tar'));
    await store.save(['cmp-test/wh:2'], join(root.dir, 'saved.tar'));
    const other = new ImageStore(join(root.dir, 'c'));
    const [back] = await other.load(join(root.dir, 'saved.tar'));
    expect(back?.ref).toBe('docker.io/cmp-test/wh:2');
    await withOverlay(await other.layerDirs(back?.id ?? ''), (merged) => {
      expect(existsSync(join(merged, 'etc', 'hidden'))).toBe(false);
      expect(readdirSync(join(merged, 'd'))).toEqual(['b']);
      expect(existsSync(join(merged, 'bin', 'busybox'))).toBe(true);
    });
  });
});
