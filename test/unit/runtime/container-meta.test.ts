import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listMeta,
  readMeta,
  updateMeta,
  writeMeta,
  type ContainerMeta,
} from '../../../src/runtime/embedded/containers/meta.js';
import { containerDir } from '../../../src/runtime/embedded/containers/paths.js';

const ID = 'a'.repeat(64);

function meta(): ContainerMeta {
  return {
    id: ID,
    name: 'p-web-1',
    labels: {},
    image: 'busybox',
    imageId: 'sha256:0',
    layers: [],
    hostRootfs: true,
    spec: { ociVersion: '1.0.2' } as ContainerMeta['spec'],
    volumeMounts: [],
    anonymousVolumes: [],
    sandbox: true,
    networks: [],
    publish: [],
    ports: [],
    tty: false,
    stdinOpen: false,
    createdAt: 1,
    restartCount: 0,
  };
}

describe('container records', () => {
  let tmp: string;
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.CMP_STATE_ROOT;
    tmp = mkdtempSync(join(tmpdir(), 'cmp-meta-'));
    process.env.CMP_STATE_ROOT = tmp;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CMP_STATE_ROOT;
    else process.env.CMP_STATE_ROOT = saved;
    rmSync(tmp, { recursive: true, force: true });
  });

  it('an update keeps the change on disk', async () => {
    await writeMeta(meta());
    await updateMeta(ID, (m) => {
      m.stoppedByUser = true;
    });
    expect((await readMeta(ID))?.stoppedByUser).toBe(true);
  });

  it('a container removed while an update is under way stays removed', async () => {
    await writeMeta(meta());
    // The supervisor notes an exit (read, change, write) while `down` removes the container in between.
    const res = await updateMeta(ID, (m) => {
      m.restartPending = true;
      rmSync(containerDir(ID), { recursive: true, force: true });
    });
    expect(res).toBeUndefined();
    expect(existsSync(containerDir(ID))).toBe(false);
    expect(await listMeta()).toEqual([]);
  });
});
