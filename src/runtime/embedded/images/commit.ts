// A container's changes as a new image: its overlay upper dir becomes one more layer on top of its image
// (overlay's whiteouts turned into OCI ones by export-layer.ts), with a config the caller derives from the
// image's. The layer goes through the same verified install as a pulled one.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommitConfig } from '../../../build/commit.js';
import { RuntimeError } from '../../../util/errors.js';
import { exportLayer } from './export-layer.js';
import type { ImageRecord, StoreLayout } from './layout.js';
import { storeImage } from './load.js';

export interface CommitInput {
  base: ImageRecord;
  upper: string;
  /** Upper-dir entries that are not the container's changes (mount points runc made). */
  skip: (name: string) => boolean;
  /** The new image's config from the base image's. */
  configure: (image: CommitConfig) => CommitConfig;
  author?: string;
  comment?: string;
  signal?: AbortSignal;
}

interface ConfigDoc {
  created?: string;
  author?: string;
  config?: CommitConfig;
  rootfs?: { type?: string; diff_ids?: string[] };
  history?: Record<string, unknown>[];
  [key: string]: unknown;
}

export async function commitLayer(layout: StoreLayout, input: CommitInput): Promise<ImageRecord> {
  const work = await layout.tmpDir('commit');
  try {
    const layer = await exportLayer(input.upper, join(work, 'layer.tar'), input.signal, { skip: input.skip });
    const doc = JSON.parse(await readFile(layout.blobPath(input.base.id), 'utf8')) as ConfigDoc;
    const diffIds = doc.rootfs?.diff_ids;
    if (!diffIds || diffIds.join() !== input.base.layers.join()) {
      throw new RuntimeError(`image ${input.base.id}: its stored config does not list its layers`);
    }
    const created = new Date().toISOString();
    doc.created = created;
    if (input.author !== undefined) doc.author = input.author;
    else delete doc.author;
    doc.config = input.configure(doc.config ?? {});
    doc.rootfs = { type: 'layers', diff_ids: [...diffIds, layer.diffId] };
    doc.history = [
      ...(doc.history ?? []),
      {
        created,
        created_by: 'cmp commit',
        ...(input.author !== undefined ? { author: input.author } : {}),
        ...(input.comment !== undefined ? { comment: input.comment } : {}),
      },
    ];
    // The base layers are in the store already, so only the new tar is read.
    const files = [...input.base.layers.map((d) => layout.layerRoot(d)), layer.path];
    return await storeImage(
      layout,
      Buffer.from(JSON.stringify(doc)),
      files,
      async () => 'none',
      input.signal,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
