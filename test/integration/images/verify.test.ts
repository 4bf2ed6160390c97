import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../../src/runtime/embedded/images/store.js';
import { buildImage, busyboxLayer, makeLayer, pushBusybox, pushImage } from '../../setup/images.js';
import { startRegistry, type TestRegistry } from '../../setup/registry.js';
import { tempRoot } from './helpers.js';

function listStore(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const sub of ['images', 'refs', 'layers', 'tmp', 'blobs/sha256']) {
    try {
      out[sub] = readdirSync(join(dir, sub));
    } catch {
      out[sub] = [];
    }
  }
  return out;
}

describe('content verification', () => {
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

  it('rejects a layer whose bytes do not match its digest and stores nothing', async () => {
    const img = await pushBusybox(registry, 'tampered', { compression: 'gzip' });
    const hex = img.layers[0]?.digest.slice(7) ?? '';
    const data = join(registry.storageDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    const bytes = readFileSync(data);
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0xff;
    writeFileSync(data, bytes);
    const dir = join(root.dir, 'tampered');
    const store = new ImageStore(dir);
    await expect(store.ensure(`${registry.host}/tampered`, 'missing')).rejects.toThrow(
      new RegExp(`blob ${img.layers[0]?.digest} from registry ${registry.host} failed verification`),
    );
    expect(listStore(dir)).toEqual({ images: [], refs: [], layers: [], tmp: [], 'blobs/sha256': [] });
    expect(await store.list()).toEqual([]);
  });

  it('rejects a layer whose unpacked content does not match the diff_id in the config', async () => {
    const good = buildImage([await makeLayer([{ path: 'a', content: 'a' }])], { format: 'oci' });
    const other = buildImage([await makeLayer([{ path: 'b', content: 'b' }])], { format: 'oci' });
    // the config of `other` (diff_id of layer b) with the layer blob of `good`
    const bad = buildImage([], { format: 'oci' });
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: good.manifestMediaType,
        config: { mediaType: other.configMediaType, digest: other.configDigest, size: other.config.length },
        layers: good.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
      }),
    );
    await pushImage(registry.url, 'mixed', 'latest', {
      ...bad,
      config: other.config,
      configDigest: other.configDigest,
      layers: good.layers,
      manifest,
    });
    const dir = join(root.dir, 'mixed');
    const store = new ImageStore(dir);
    await expect(store.ensure(`${registry.host}/mixed`, 'missing')).rejects.toThrow(
      /does not match the image config: diff_id/,
    );
    expect(listStore(dir)).toMatchObject({ images: [], refs: [], layers: [], tmp: [] });
  });

  it('resumes a broken blob download with a Range request', async () => {
    const img = buildImage([busyboxLayer()], { compression: 'none', format: 'oci', cmd: ['resumed'] });
    await pushImage(registry.url, 'flaky', 'latest', img);
    const ranges: string[] = [];
    let broken = false;
    // a proxy that cuts the first big blob transfer halfway, like a dropped connection
    const proxy: Server = createServer((req, res) => {
      if (req.headers.range) ranges.push(req.headers.range);
      const up = request(
        `${registry.url}${req.url}`,
        { method: req.method, headers: req.headers },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          const isBig = Number(upRes.headers['content-length'] ?? 0) > 100_000;
          if (isBig && !broken) {
            broken = true;
            let sent = 0;
            upRes.on('data', (c: Buffer) => {
              sent += c.length;
              if (sent > 300_000) {
                res.destroy();
                upRes.destroy();
              } else res.write(c);
            });
            return;
          }
          upRes.pipe(res);
        },
      );
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const port = (proxy.address() as AddressInfo).port;
      const store = new ImageStore(join(root.dir, 'flaky'));
      const info = await store.ensure(`127.0.0.1:${port}/flaky`, 'missing');
      expect(info.config.cmd).toEqual(['resumed']);
      expect(broken).toBe(true);
      expect(ranges.length).toBe(1);
      expect(ranges[0]).toMatch(/^bytes=\d+-$/);
    } finally {
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });
});
