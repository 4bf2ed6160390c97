// Pull flow: manifest (picking a platform out of an index), config, then the layers in parallel,
// each downloaded to a work dir, verified, unpacked once into the shared layer store, and dropped.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineEvent, EventSink } from '../../../engine/events.js';
import { RuntimeError } from '../../../util/errors.js';
import { writeFileAtomic } from './atomic.js';
import { parseImageConfig, toImageConfig } from './config.js';
import { digestHex } from './digest.js';
import { installLayer } from './install.js';
import type { ImageRecord, StoreLayout } from './layout.js';
import { parseManifest } from './manifest.js';
import { layerCompression } from './media.js';
import { selectManifest, wantedPlatform } from './platform.js';
import { formatReference, type ImageReference } from '../../image-reference.js';
import { RegistryClient, type RegistryOptions } from './registry.js';

export interface PullOptions extends RegistryOptions {
  sink?: EventSink;
  signal?: AbortSignal;
  /** Layers downloaded at once. */
  concurrency?: number;
}

const PROGRESS_EVERY_MS = 100;

export async function pullImage(
  layout: StoreLayout,
  ref: ImageReference,
  opts: PullOptions = {},
): Promise<ImageRecord> {
  const name = formatReference(ref);
  const emit = (e: Omit<EngineEvent, 'time' | 'kind' | 'name'>): void =>
    opts.sink?.({ time: Date.now(), kind: 'image', name, ...e });
  const client = new RegistryClient(ref.registry, ref.repository, opts);
  const { signal } = opts;

  emit({ action: 'pull', status: 'Pulling' });
  const top = await client.manifest(ref.digest ?? ref.tag ?? 'latest', signal);
  const manifests = [{ bytes: top.bytes, digest: top.digest }];
  let parsed = parseManifest(top.bytes, top.mediaType, name);
  let manifestDigest = top.digest;
  if (parsed.kind === 'index') {
    const pick = selectManifest(parsed.manifests, wantedPlatform(opts.env), name);
    const m = await client.manifest(pick.digest, signal);
    parsed = parseManifest(m.bytes, m.mediaType, `${name} (${pick.digest})`);
    if (parsed.kind !== 'manifest') throw new RuntimeError(`${name}: an index points to another index`);
    manifests.push({ bytes: m.bytes, digest: m.digest });
    manifestDigest = m.digest;
  }
  const { config: configDesc, layers } = parsed;

  const existing = await layout.image(configDesc.digest);
  let record: ImageRecord;
  if (existing && (await allLayersPresent(layout, existing.layers))) {
    record = { ...existing, repoDigest: top.digest, manifestDigest };
  } else {
    const configBytes = await client.blobBytes(configDesc.digest, signal);
    const oci = parseImageConfig(configBytes);
    const diffIds = oci.rootfs?.diff_ids ?? [];
    if (diffIds.length !== layers.length) {
      throw new RuntimeError(
        `${name}: the manifest lists ${layers.length} layers but the config has ${diffIds.length} diff_ids`,
      );
    }
    const work = await layout.tmpDir('pull');
    try {
      const sizes = await mapLimit(layers, opts.concurrency ?? 3, async (desc, i) => {
        const diffId = diffIds[i] as string;
        const short = digestHex(desc.digest).slice(0, 12);
        const have = await layout.layer(diffId);
        if (have) {
          emit({
            action: 'progress',
            status: 'Already exists',
            detail: short,
            current: desc.size,
            total: desc.size,
          });
          return have.size;
        }
        const compression = layerCompression(desc.mediaType ?? '');
        if (!compression) throw new RuntimeError(`${name}: unsupported layer media type "${desc.mediaType}"`);
        const file = join(work, digestHex(desc.digest));
        let last = 0;
        await client.blobToFile(
          desc.digest,
          desc.size,
          file,
          (current) => {
            const now = Date.now();
            if (now - last < PROGRESS_EVERY_MS) return;
            last = now;
            emit({ action: 'progress', status: 'Downloading', detail: short, current, total: desc.size });
          },
          signal,
        );
        emit({
          action: 'progress',
          status: 'Extracting',
          detail: short,
          current: desc.size,
          total: desc.size,
        });
        const rec = await installLayer(layout, file, compression, diffId, signal);
        await rm(file, { force: true });
        emit({
          action: 'progress',
          status: 'Pull complete',
          detail: short,
          current: desc.size,
          total: desc.size,
        });
        return rec.size;
      });
      await mkdir(join(layout.root, 'blobs', 'sha256'), { recursive: true });
      await writeFileAtomic(layout.blobPath(configDesc.digest), configBytes);
      record = {
        id: configDesc.digest,
        layers: diffIds,
        repoDigest: top.digest,
        manifestDigest,
        size: sizes.reduce((a, b) => a + b, 0),
        ...(oci.created ? { created: oci.created } : {}),
        ...(oci.architecture ? { architecture: oci.architecture } : {}),
        ...(oci.os ? { os: oci.os } : {}),
        config: toImageConfig(oci),
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  for (const m of manifests) await writeFileAtomic(layout.blobPath(m.digest), m.bytes);
  await layout.putImage(record);
  emit({ action: 'pulled', status: 'Pulled', detail: record.id });
  return record;
}

async function allLayersPresent(layout: StoreLayout, diffIds: string[]): Promise<boolean> {
  for (const d of diffIds) if (!(await layout.layer(d))) return false;
  return true;
}

/** Runs fn over items with at most `limit` at once; the first failure stops new work and is thrown. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  return out;
}
