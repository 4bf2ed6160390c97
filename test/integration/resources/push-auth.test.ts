// `image push` through token auth, with the credentials a pull uses (DOCKER_CONFIG), and back by digest.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../../src/runtime/embedded/images/store.js';
import { writeDockerSaveTar } from '../../setup/images.js';
import { startRegistry, writeDockerConfig, type TestRegistry } from '../../setup/registry.js';
import { tempRoot } from '../images/helpers.js';

describe('image push with registry auth', () => {
  let guarded: TestRegistry;
  let root: ReturnType<typeof tempRoot>;

  beforeAll(async () => {
    guarded = await startRegistry({ tokenAuth: { users: { alice: 's3cret' } } });
    root = tempRoot('cmp-push-');
  });
  afterAll(async () => {
    await guarded?.stop();
    root?.cleanup();
  });

  it('refuses an anonymous push with a one-line error naming the registry', async () => {
    const store = new ImageStore(join(root.dir, 'anon'), {
      env: { ...process.env, DOCKER_CONFIG: root.dir },
    });
    await writeDockerSaveTar(join(root.dir, 'a.tar'), { tags: [`${guarded.host}/team/app:v1`] });
    await store.load(join(root.dir, 'a.tar'));
    const err = (await store.push(`${guarded.host}/team/app:v1`).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain(`push access denied for ${guarded.host}/team/app`);
    expect(err.message).not.toContain('\n');
  });

  it('pushes with the docker config credentials, and the same digest pulls back into another store', async () => {
    const cfg = writeDockerConfig(guarded.host, 'alice', 's3cret');
    try {
      const env = { ...process.env, DOCKER_CONFIG: cfg.dir };
      const store = new ImageStore(join(root.dir, 'src'), { env });
      await writeDockerSaveTar(join(root.dir, 'b.tar'), { tags: [`${guarded.host}/team/app:v2`] });
      await store.load(join(root.dir, 'b.tar'));
      const lines: string[] = [];
      const pushed = await store.push(`${guarded.host}/team/app:v2`, (l) => lines.push(l));
      expect(pushed.tag).toBe('v2');
      expect(lines).toEqual([expect.stringMatching(/^[0-9a-f]{12}: Pushed$/)]);

      const other = new ImageStore(join(root.dir, 'dst'), { env });
      const got = await other.ensure(`${guarded.host}/team/app@${pushed.digest}`, 'missing');
      expect(got.digest).toBe(pushed.digest);
      const again = await other.ensure(`${guarded.host}/team/app:v2`, 'always');
      expect(again.id).toBe(got.id);
    } finally {
      cfg.cleanup();
    }
  });
});
