import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../../src/util/errors.js';
import { ImageStore } from '../../../src/runtime/embedded/images/store.js';
import { pushBusybox } from '../../setup/images.js';
import { startRegistry, type TestRegistry } from '../../setup/registry.js';
import { tempRoot } from './helpers.js';

describe('pull_policy', () => {
  let registry: TestRegistry;
  let root: ReturnType<typeof tempRoot>;

  beforeAll(async () => {
    registry = await startRegistry();
    root = tempRoot();
  });
  afterAll(async () => {
    await registry?.stop();
    root?.cleanup();
  });

  it('never: fails for a missing image without asking the registry', async () => {
    const store = new ImageStore(join(root.dir, 'never'));
    const ref = `${registry.host}/app:1`;
    await pushBusybox(registry, 'app', { tag: '1' });
    const err = await store.ensure(ref, 'never').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).message).toBe(`image ${ref} not found locally and pull_policy is never`);
    await store.ensure(ref, 'missing');
    expect((await store.ensure(ref, 'never')).ref).toBe(ref);
  });

  it('missing keeps the local image; always fetches the new one behind the tag', async () => {
    const store = new ImageStore(join(root.dir, 'always'));
    const ref = `${registry.host}/moving:latest`;
    const v1 = await pushBusybox(registry, 'moving', { cmd: ['echo', 'v1'] });
    expect((await store.ensure(ref, 'missing')).id).toBe(v1.configDigest);
    const v2 = await pushBusybox(registry, 'moving', { cmd: ['echo', 'v2'] });
    expect((await store.ensure(ref, 'missing')).id).toBe(v1.configDigest);
    const now = await store.ensure(ref, 'always');
    expect(now.id).toBe(v2.configDigest);
    expect(now.config.cmd).toEqual(['echo', 'v2']);
    expect((await store.inspect(ref))?.id).toBe(v2.configDigest);
  });

  it('build: uses a local image and never pulls', async () => {
    const store = new ImageStore(join(root.dir, 'build'));
    await expect(store.ensure(`${registry.host}/app:1`, 'build')).rejects.toThrow(
      /not found locally and pull_policy is build/,
    );
  });

  it('pulls by digest and finds the image by id prefix', async () => {
    const img = await pushBusybox(registry, 'bydigest', { cmd: ['digest'] });
    const store = new ImageStore(join(root.dir, 'digest'));
    const ref = `${registry.host}/bydigest@${img.manifestDigest}`;
    const info = await store.ensure(ref, 'missing');
    expect(info.ref).toBe(ref);
    expect(info.digest).toBe(img.manifestDigest);
    expect((await store.inspect(img.configDigest.slice(7, 19)))?.id).toBe(img.configDigest);
    expect((await store.inspect(img.configDigest))?.id).toBe(img.configDigest);
  });
});
