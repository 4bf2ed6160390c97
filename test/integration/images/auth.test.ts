import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../../src/runtime/embedded/images/store.js';
import { pushBusybox, type BuiltImage } from '../../setup/images.js';
import { freePort, startRegistry, writeDockerConfig, type TestRegistry } from '../../setup/registry.js';
import { tempRoot } from './helpers.js';

describe('registry authentication', () => {
  let open: TestRegistry;
  let guarded: TestRegistry;
  let root: ReturnType<typeof tempRoot>;
  let img: BuiltImage;

  beforeAll(async () => {
    open = await startRegistry();
    img = await pushBusybox(open, 'private/app', { tag: 'v1' });
    // same storage, behind token auth: what was pushed to `open` is readable through `guarded`
    guarded = await startRegistry({ storageDir: open.storageDir, tokenAuth: { users: { alice: 's3cret' } } });
    root = tempRoot();
  });
  afterAll(async () => {
    await guarded?.stop();
    await open?.stop();
    root?.cleanup();
  });

  it('refuses an anonymous pull from a token-auth registry with a one-line error', async () => {
    const cfg = writeDockerConfig('127.0.0.1:1', 'nobody', 'x');
    try {
      const store = new ImageStore(join(root.dir, 'anon'), {
        env: { ...process.env, DOCKER_CONFIG: cfg.dir },
      });
      const err = await store.ensure(`${guarded.host}/private/app:v1`, 'missing').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      const msg = (err as Error).message;
      expect(msg).toContain(`authentication to registry ${guarded.host} failed`);
      expect(msg).not.toContain('\n');
    } finally {
      cfg.cleanup();
    }
  });

  it('refuses wrong credentials', async () => {
    const cfg = writeDockerConfig(guarded.host, 'alice', 'wrong');
    try {
      const store = new ImageStore(join(root.dir, 'wrong'), {
        env: { ...process.env, DOCKER_CONFIG: cfg.dir },
      });
      await expect(store.ensure(`${guarded.host}/private/app:v1`, 'missing')).rejects.toThrow(
        /refused the credentials/,
      );
    } finally {
      cfg.cleanup();
    }
  });

  it('pulls with credentials from DOCKER_CONFIG/config.json', async () => {
    const cfg = writeDockerConfig(guarded.host, 'alice', 's3cret');
    try {
      const store = new ImageStore(join(root.dir, 'ok'), { env: { ...process.env, DOCKER_CONFIG: cfg.dir } });
      const info = await store.ensure(`${guarded.host}/private/app:v1`, 'missing');
      expect(info.id).toBe(img.configDigest);
      expect(await store.layerDirs(info.id)).toHaveLength(1);
    } finally {
      cfg.cleanup();
    }
  });

  it('names the registry and the reason when it cannot be reached', async () => {
    const port = await freePort();
    const store = new ImageStore(join(root.dir, 'down'));
    const err = (await store
      .ensure(`127.0.0.1:${port}/nothing:here`, 'missing')
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(new RegExp(`cannot reach registry 127\\.0\\.0\\.1:${port} .*ECONNREFUSED`));
    expect(err.message).not.toContain('\n');
  });
});
