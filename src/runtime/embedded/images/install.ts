// Adds one layer to the store from a blob file, checking that what was unpacked is what the image
// config promised (its diff_id), so a store directory only ever holds verified content.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../../../util/errors.js';
import { unpackLayer } from './layer.js';
import type { LayerRecord, StoreLayout } from './layout.js';
import type { Compression } from './media.js';

export async function installLayer(
  layout: StoreLayout,
  blobPath: string,
  compression: Compression,
  expectedDiffId: string,
  signal?: AbortSignal,
): Promise<LayerRecord> {
  const existing = await layout.layer(expectedDiffId);
  if (existing) return existing;
  const work = await layout.tmpDir('layer');
  try {
    const root = join(work, 'root');
    await mkdir(root, { mode: 0o755 });
    const res = await unpackLayer(blobPath, compression, root, signal);
    if (res.diffId !== expectedDiffId) {
      throw new RuntimeError(
        `layer content does not match the image config: diff_id ${res.diffId} where ${expectedDiffId} was expected`,
      );
    }
    const record: LayerRecord = { diffId: res.diffId, size: res.size };
    await layout.commitLayer(work, record);
    return record;
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    throw e;
  }
}
