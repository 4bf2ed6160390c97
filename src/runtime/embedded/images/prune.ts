// `cmp image prune`: drops untagged images (with `all`, every image no container record uses), then
// every layer and blob no remaining image needs. Layers a container's overlay still uses are kept
// whatever the image records say, since the container mounts them directly.
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { digestHex } from './digest.js';
import type { ImageRecord, StoreLayout } from './layout.js';
import { diskUsage } from './usage.js';

export interface PruneResult {
  /** Image ids removed, and the references they lost. */
  deleted: { id: string; refs: string[] }[];
  reclaimed: number;
}

export interface PruneInput {
  all: boolean;
  /** Image ids and layer dirs that container records use. */
  usedImageIds: Set<string>;
  usedLayerDirs: Set<string>;
}

export async function pruneStore(layout: StoreLayout, input: PruneInput): Promise<PruneResult> {
  const refs = await layout.refs();
  const images = await layout.images();
  const deleted: PruneResult['deleted'] = [];
  let reclaimed = 0;
  const keep: ImageRecord[] = [];
  for (const img of images) {
    const mine = refs.filter((r) => r.id === img.id);
    const tagged = mine.length > 0;
    const used = input.usedImageIds.has(img.id);
    if (used || (tagged && !input.all)) {
      keep.push(img);
      continue;
    }
    for (const r of mine) await rm(layout.refPath(r.ref), { force: true });
    reclaimed += await diskUsage(layout.imagePath(img.id));
    await rm(layout.imagePath(img.id), { force: true });
    deleted.push({ id: img.id, refs: mine.map((r) => r.ref) });
  }
  const neededLayers = new Set(keep.flatMap((i) => i.layers.map((l) => digestHex(l))));
  for (const id of await layout.layerIds()) {
    const hex = digestHex(id);
    if (neededLayers.has(hex) || input.usedLayerDirs.has(layout.layerRoot(id))) continue;
    reclaimed += await diskUsage(layout.layerDir(id));
    // Renamed out of the way first, so a half-removed layer never looks complete to a pull.
    const doomed = join(await layout.tmpDir('prune'), 'layer');
    try {
      await rename(layout.layerDir(id), doomed);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    await rm(join(doomed, '..'), { recursive: true, force: true });
  }
  const neededBlobs = new Set(
    keep.flatMap((i) =>
      [i.id, i.repoDigest, i.manifestDigest].filter((d): d is string => !!d).map(digestHex),
    ),
  );
  const blobDir = join(layout.root, 'blobs', 'sha256');
  for (const name of await readdir(blobDir).catch(() => [] as string[])) {
    if (!/^[a-f0-9]{64}$/.test(name) || neededBlobs.has(name)) continue;
    reclaimed += await diskUsage(join(blobDir, name));
    await rm(join(blobDir, name), { force: true });
  }
  return { deleted, reclaimed };
}
