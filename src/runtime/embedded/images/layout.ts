// Where things live under the image store root (docs/images.md has the picture):
//   blobs/sha256/<hex>        manifests and configs (layer blobs only while being downloaded)
//   layers/<diff-hex>/root    one unpacked layer, shared by every image that has it
//   layers/<diff-hex>/layer.json
//   images/<config-hex>.json  one image: config digest, layers, repo digest
//   refs/<encoded ref>.json   one tag or digest reference -> image id
//   tmp/                      work dirs, renamed into place when complete
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJson, writeFileAtomic } from './atomic.js';
import { digestHex } from './digest.js';
import type { ImageConfig } from '../../types.js';

export interface LayerRecord {
  diffId: string;
  size: number;
}

export interface ImageRecord {
  /** Config digest. */
  id: string;
  /** Layer diff_ids, lowest first. */
  layers: string[];
  /** Manifest (or index) digest as the registry knows it, when pulled. */
  repoDigest?: string;
  manifestDigest?: string;
  /** The manifest digest each repository holds this image under, from `cmp image push`. */
  pushed?: Record<string, string>;
  size: number;
  created?: string;
  architecture?: string;
  os?: string;
  config: ImageConfig;
}

export interface RefRecord {
  ref: string;
  id: string;
}

export class StoreLayout {
  constructor(readonly root: string) {}

  blobPath(digest: string): string {
    return join(this.root, 'blobs', 'sha256', digestHex(digest));
  }

  layerDir(diffId: string): string {
    return join(this.root, 'layers', digestHex(diffId));
  }

  layerRoot(diffId: string): string {
    return join(this.layerDir(diffId), 'root');
  }

  imagePath(id: string): string {
    return join(this.root, 'images', `${digestHex(id)}.json`);
  }

  refPath(ref: string): string {
    return join(this.root, 'refs', `${encodeURIComponent(ref)}.json`);
  }

  async tmpDir(prefix: string): Promise<string> {
    const dir = join(this.root, 'tmp', `${prefix}-${process.pid}-${randomBytes(6).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async layer(diffId: string): Promise<LayerRecord | undefined> {
    return readJson<LayerRecord>(join(this.layerDir(diffId), 'layer.json'));
  }

  /**
   * Puts a finished layer in place. Another process may have unpacked the same layer meanwhile:
   * then its copy wins and ours is dropped.
   */
  async commitLayer(work: string, record: LayerRecord): Promise<void> {
    await writeFileAtomic(join(work, 'layer.json'), JSON.stringify(record));
    await mkdir(join(this.root, 'layers'), { recursive: true });
    try {
      await rename(work, this.layerDir(record.diffId));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw e;
      await rm(work, { recursive: true, force: true });
    }
  }

  async image(id: string): Promise<ImageRecord | undefined> {
    return readJson<ImageRecord>(this.imagePath(id));
  }

  async putImage(rec: ImageRecord): Promise<void> {
    await writeFileAtomic(this.imagePath(rec.id), `${JSON.stringify(rec, null, 2)}\n`);
  }

  async images(): Promise<ImageRecord[]> {
    const names = await listDir(join(this.root, 'images'));
    const out: ImageRecord[] = [];
    for (const n of names) {
      if (!/^[a-f0-9]{64}\.json$/.test(n)) continue;
      const rec = await readJson<ImageRecord>(join(this.root, 'images', n));
      if (rec) out.push(rec);
    }
    return out;
  }

  async ref(ref: string): Promise<RefRecord | undefined> {
    return readJson<RefRecord>(this.refPath(ref));
  }

  async putRef(ref: string, id: string): Promise<void> {
    await writeFileAtomic(this.refPath(ref), `${JSON.stringify({ ref, id } satisfies RefRecord)}\n`);
  }

  async refs(): Promise<RefRecord[]> {
    const names = await listDir(join(this.root, 'refs'));
    const out: RefRecord[] = [];
    for (const n of names) {
      if (!n.endsWith('.json') || n.includes('.tmp-')) continue;
      const rec = await readJson<RefRecord>(join(this.root, 'refs', n));
      if (rec) out.push(rec);
    }
    return out;
  }

  async layerIds(): Promise<string[]> {
    return (await listDir(join(this.root, 'layers')))
      .filter((n) => /^[a-f0-9]{64}$/.test(n))
      .map((n) => `sha256:${n}`);
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
