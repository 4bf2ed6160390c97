// `cmp image push`: the image's layers (re-made from the store, gzip-compressed), its config and a
// Docker v2 schema 2 manifest, uploaded per the OCI distribution spec. Blobs the registry has are skipped.
import { rm } from 'node:fs/promises';
import { RuntimeError } from '../../../util/errors.js';
import { sha256 } from './digest.js';
import { exportImage } from './export.js';
import { gzipLayer } from './export-layer.js';
import type { ImageRecord, StoreLayout } from './layout.js';
import { MT } from './media.js';
import { PushClient } from './push-client.js';
import type { ImageReference } from '../../image-reference.js';

export interface PushResult {
  tag: string;
  digest: string;
  size: number;
  /** Lines as docker prints them while pushing (`<short>: Pushed`, `Layer already exists`). */
  progress: string[];
}

export async function pushImage(
  layout: StoreLayout,
  record: ImageRecord,
  ref: ImageReference,
  opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal; onLine?: (line: string) => void } = {},
): Promise<PushResult> {
  if (ref.digest) throw new RuntimeError('cannot push to a digest reference: name a tag');
  const tag = ref.tag ?? 'latest';
  const client = new PushClient(ref.registry, ref.repository, opts.env);
  const progress: string[] = [];
  const say = (line: string): void => {
    progress.push(line);
    opts.onLine?.(line);
  };
  const work = await layout.tmpDir('push');
  try {
    const img = await exportImage(layout, record, work, opts.signal);
    const layerDescs: { mediaType: string; size: number; digest: string }[] = [];
    for (const l of img.layers) {
      const gz = await gzipLayer(l.path, `${l.path}.gz`);
      await rm(l.path, { force: true });
      const short = gz.digest.slice(7, 19);
      if (await client.hasBlob(gz.digest)) say(`${short}: Layer already exists`);
      else {
        await client.uploadBlob(gz.digest, { file: gz.path, size: gz.size });
        say(`${short}: Pushed`);
      }
      await rm(gz.path, { force: true });
      layerDescs.push({ mediaType: MT.dockerLayerGzip, size: gz.size, digest: gz.digest });
    }
    if (!(await client.hasBlob(img.configDigest))) await client.uploadBlob(img.configDigest, img.config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MT.dockerManifest,
        config: { mediaType: MT.dockerConfig, size: img.config.length, digest: img.configDigest },
        layers: layerDescs,
      }),
    );
    const digest = sha256(manifest);
    const told = await client.putManifest(tag, MT.dockerManifest, manifest);
    if (told && told !== digest) {
      throw new RuntimeError(`registry ${ref.registry} stored the manifest as ${told}, not ${digest}`);
    }
    return { tag, digest, size: manifest.length, progress };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
