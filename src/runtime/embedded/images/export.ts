// An image from the store as distributable parts: a config and one layer tar per layer. The layers are
// re-made from their unpacked directories (export-layer.ts); when that gives other bytes than the
// original (any image not first made by cmp), the config's diff_ids are updated to match, which gives
// the exported image a new id. Docker-save archives and registries both check diff_ids, so it must.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../../../util/errors.js';
import { digestHex, sha256 } from './digest.js';
import { exportLayer, type ExportedLayer } from './export-layer.js';
import type { ImageRecord, StoreLayout } from './layout.js';

export interface ExportedImage {
  config: Buffer;
  configDigest: string;
  layers: ExportedLayer[];
  /** Whether the config had to change (so the id differs from the stored image's). */
  rewritten: boolean;
}

export async function exportImage(
  layout: StoreLayout,
  record: ImageRecord,
  workDir: string,
  signal?: AbortSignal,
): Promise<ExportedImage> {
  let original: Buffer;
  try {
    original = await readFile(layout.blobPath(record.id));
  } catch (e) {
    throw new RuntimeError(`image ${record.id} has no config blob in the store`, {
      hint: 'remove the image and pull or load it again',
      cause: e,
    });
  }
  const layers: ExportedLayer[] = [];
  for (const diffId of record.layers) {
    const dest = join(workDir, `${digestHex(diffId)}.tar`);
    layers.push(await exportLayer(layout.layerRoot(diffId), dest, signal));
  }
  const same = layers.every((l, i) => l.diffId === record.layers[i]);
  if (same) return { config: original, configDigest: record.id, layers, rewritten: false };
  const doc = JSON.parse(original.toString('utf8')) as Record<string, unknown>;
  const rootfs = (doc.rootfs ?? {}) as Record<string, unknown>;
  doc.rootfs = { ...rootfs, type: 'layers', diff_ids: layers.map((l) => l.diffId) };
  const config = Buffer.from(JSON.stringify(doc));
  return { config, configDigest: sha256(config), layers, rewritten: true };
}
