import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/events.js';
import { ImageStore } from '../../../src/runtime/embedded/images/store.js';
import { pushBusybox, pushMultiPlatform, pushWhiteoutImage, type BuiltImage } from '../../setup/images.js';
import { startRegistry, type TestRegistry } from '../../setup/registry.js';
import { tempRoot, withOverlay } from './helpers.js';

describe('pull from a registry', () => {
  let registry: TestRegistry;
  let root: ReturnType<typeof tempRoot>;
  let gz: BuiltImage;
  let zst: BuiltImage;
  let multi: Awaited<ReturnType<typeof pushMultiPlatform>>;

  beforeAll(async () => {
    registry = await startRegistry();
    root = tempRoot();
    gz = await pushBusybox(registry, 'busybox', { compression: 'gzip' });
    zst = await pushBusybox(registry, 'bbzstd', {
      compression: 'zstd',
      format: 'oci',
      cmd: ['echo', 'zstd'],
    });
    await pushBusybox(registry, 'bbplain', { compression: 'none', format: 'oci', cmd: ['true'] });
    await pushWhiteoutImage(registry, 'wh');
    multi = await pushMultiPlatform(registry, 'multi');
  });
  afterAll(async () => {
    await registry?.stop();
    root?.cleanup();
  });

  it('pulls a gzip docker schema2 image and gives runnable layer dirs', async () => {
    const store = new ImageStore(join(root.dir, 'store'));
    const events: EngineEvent[] = [];
    const info = await store.ensure(`${registry.host}/busybox`, 'missing', (e) => events.push(e));
    expect(info.ref).toBe(`${registry.host}/busybox:latest`);
    expect(info.id).toBe(gz.configDigest);
    expect(info.digest).toBe(gz.manifestDigest);
    expect(info.config.cmd).toEqual(['sh']);
    const dirs = await store.layerDirs(info.id);
    expect(dirs).toHaveLength(1);
    expect(statSync(join(dirs[0] as string, 'bin/busybox')).mode & 0o111).toBeTruthy();
    expect(readlinkSync(join(dirs[0] as string, 'bin/sh'))).toBe('/bin/busybox');
    const progress = events.filter((e) => e.action === 'progress' && e.kind === 'image');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({
      current: gz.layers[0]?.blob.length,
      total: gz.layers[0]?.blob.length,
    });
    expect(events.at(-1)?.action).toBe('pulled');
  });

  it('pulls zstd and uncompressed OCI layers, sharing a layer already in the store', async () => {
    const store = new ImageStore(join(root.dir, 'store'));
    const events: EngineEvent[] = [];
    const z = await store.ensure(`${registry.host}/bbzstd:latest`, 'missing', (e) => events.push(e));
    expect(z.id).toBe(zst.configDigest);
    expect(z.config.cmd).toEqual(['echo', 'zstd']);
    // same uncompressed layer as the gzip image: unpacked once
    expect(events.some((e) => e.status === 'Already exists')).toBe(true);
    const plain = await store.ensure(`${registry.host}/bbplain`, 'missing');
    expect(await store.layerDirs(plain.id)).toEqual(await store.layerDirs(z.id));
    expect(readdirSync(join(root.dir, 'store', 'layers')).filter((n) => !n.startsWith('.'))).toHaveLength(1);
  });

  it('picks the host platform out of a multi-platform index', async () => {
    const store = new ImageStore(join(root.dir, 'store-multi'));
    const info = await store.ensure(`${registry.host}/multi`, 'missing');
    expect(info.id).toBe(multi.amd64.configDigest);
    expect(info.digest).toBe(multi.indexDigest);
    await withOverlay(await store.layerDirs(info.id), (m) => {
      expect(readFileSync(join(m, 'etc/arch'), 'utf8')).toBe('amd64\n');
    });
  });

  it('honours DOCKER_DEFAULT_PLATFORM to pick another platform', async () => {
    const store = new ImageStore(join(root.dir, 'store-arm'), {
      env: { ...process.env, DOCKER_DEFAULT_PLATFORM: 'linux/arm64' },
    });
    const info = await store.ensure(`${registry.host}/multi`, 'always');
    expect(info.id).toBe(multi.arm64.configDigest);
    const [dir] = await store.layerDirs(info.id);
    expect(readFileSync(join(dir as string, 'etc/arch'), 'utf8')).toBe('arm64\n');
  });

  it('applies whiteouts and opaque directories when the layers are overlay-mounted', async () => {
    const store = new ImageStore(join(root.dir, 'store-wh'));
    const info = await store.ensure(`${registry.host}/wh`, 'missing');
    const dirs = await store.layerDirs(info.id);
    expect(dirs).toHaveLength(3);
    const top = dirs[2] as string;
    // stored as overlay whiteouts, not as .wh. files
    const wh = statSync(join(top, 'etc/hidden'));
    expect(wh.isCharacterDevice()).toBe(true);
    expect(wh.rdev).toBe(0);
    expect(existsSync(join(top, 'd/.wh..wh..opq'))).toBe(false);
    expect(statSync(join(top, 'd')).mode & 0o777).toBe(0o750);
    await withOverlay(dirs, (m) => {
      expect(existsSync(join(m, 'etc/hidden'))).toBe(false);
      expect(existsSync(join(m, 'etc/passwd'))).toBe(true);
      expect(readdirSync(join(m, 'd')).sort()).toEqual(['b']);
      expect(existsSync(join(m, 'bin/busybox'))).toBe(true);
    });
  });
});
