// Images in and out of the builder as folders of uncompressed layers (an OCI layout out, a `dir:` in) (nothing is gzipped and
// unzipped again on the way). Out: a stored image for the builder to start from. In: what it built.
// The store keeps layers unpacked, so an exported layer can hash differently from the stored one (any
// image cmp did not make itself); `layerMap` records exported diff_id -> stored diff_id, and an imported
// image that contains such a layer gets the stored one back instead of a second unpacked copy.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../../../util/errors.js';
import { digestHex, sha256 } from './digest.js';
import { exportImage, type ExportedImage } from './export.js';
import type { ImageRecord, StoreLayout } from './layout.js';
import { storeImage } from './load.js';
import { MT } from './media.js';

export interface ExportedForBuild {
  /** Exported diff_id -> the store's diff_id, for the layers whose bytes changed on export. */
  layerMap: Record<string, string>;
}

export async function exportOciDir(
  layout: StoreLayout,
  record: ImageRecord,
  dir: string,
  signal?: AbortSignal,
): Promise<ExportedForBuild> {
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const ex = withLayerHistory(await exportImage(layout, record, dir, signal));
  const layerMap: Record<string, string> = {};
  const layers = [];
  for (const [i, l] of ex.layers.entries()) {
    await rename(l.path, join(blobs, digestHex(l.diffId)));
    const stored = record.layers[i] as string;
    if (stored !== l.diffId) layerMap[l.diffId] = stored;
    layers.push({ mediaType: MT.ociLayer, digest: l.diffId, size: l.size });
  }
  await writeFile(join(blobs, digestHex(ex.configDigest)), ex.config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MT.ociManifest,
      config: { mediaType: MT.ociConfig, digest: ex.configDigest, size: ex.config.length },
      layers,
    }),
  );
  const manifestDigest = sha256(manifest);
  await writeFile(join(blobs, digestHex(manifestDigest)), manifest);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: MT.ociManifest, digest: manifestDigest, size: manifest.length }],
    }),
  );
  return { layerMap };
}

/**
 * buildah refuses a base whose history does not list one non-empty entry per layer (images made by hand
 * or by old tools often have none); such a config gets one entry per layer.
 */
function withLayerHistory(ex: ExportedImage): ExportedImage {
  const doc = JSON.parse(ex.config.toString('utf8')) as {
    history?: { empty_layer?: boolean; created_by?: string }[];
  };
  const filled = (doc.history ?? []).filter((h) => h.empty_layer !== true).length;
  if (filled === ex.layers.length) return ex;
  doc.history = ex.layers.map(() => ({ created_by: 'cmp: layer of a stored image' }));
  const config = Buffer.from(JSON.stringify(doc));
  return { ...ex, config, configDigest: sha256(config) };
}

interface Desc {
  digest: string;
  mediaType?: string;
}

/**
 * Stores the image of a containers/image `dir:` folder (manifest.json, blobs named by their hex digest)
 * whose layers are plain tars. Layers the store has are not unpacked again; layers named in `layerMap`
 * are replaced by the stored layer they stand for.
 */
export async function importImageDir(
  layout: StoreLayout,
  dir: string,
  layerMap: Readonly<Record<string, string>>,
  signal?: AbortSignal,
): Promise<ImageRecord> {
  const blob = (d: string): string => join(dir, digestHex(d));
  const manifestBytes = await readFile(join(dir, 'manifest.json'));
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config?: Desc; layers?: Desc[] };
  if (!manifest.config || !manifest.layers)
    throw new RuntimeError(`the builder's output ${dir} holds no image`);
  for (const l of manifest.layers) {
    if (l.mediaType && !l.mediaType.endsWith('.tar')) {
      throw new RuntimeError(
        `the builder wrote a compressed layer (${l.mediaType}); cmp asked for plain tars`,
      );
    }
  }
  let config = await readFile(blob(manifest.config.digest));
  const doc = JSON.parse(config.toString('utf8')) as { rootfs?: { diff_ids?: string[] } };
  const diffIds = doc.rootfs?.diff_ids ?? [];
  const mapped: string[] = [];
  for (const d of diffIds) {
    const stored = layerMap[d];
    mapped.push(stored !== undefined && (await layout.layer(stored)) ? stored : d);
  }
  if (mapped.some((d, i) => d !== diffIds[i])) {
    doc.rootfs = { ...doc.rootfs, diff_ids: mapped };
    config = Buffer.from(JSON.stringify(doc));
  }
  const files = manifest.layers.map((l) => blob(l.digest));
  const record = await storeImage(layout, config, files, async () => 'none', signal);
  record.manifestDigest = sha256(manifestBytes);
  await layout.putImage(record);
  return record;
}
