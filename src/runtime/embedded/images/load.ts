// `cmp image load`: docker-save archives (manifest.json + config + layer tars) and OCI image layouts
// (oci-layout + index.json + blobs/), plain or compressed. The archive is unpacked to a work dir
// first (GNU tar refuses `..` members and strips leading `/`), then every layer goes through the
// same verified install as a pull.
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { RuntimeError } from '../../../util/errors.js';
import { run } from '../../../util/exec.js';
import { writeFileAtomic } from './atomic.js';
import { parseImageConfig, toImageConfig } from './config.js';
import { sha256 } from './digest.js';
import { installLayer } from './install.js';
import type { ImageRecord, StoreLayout } from './layout.js';
import { parseManifest } from './manifest.js';
import { layerCompression, sniffCompression, type Compression } from './media.js';
import { selectManifest, wantedPlatform, type Descriptor } from './platform.js';
import { normalizeReference } from '../../image-reference.js';

export interface LoadedImage {
  record: ImageRecord;
  /** Canonical references the archive names for this image. */
  refs: string[];
}

interface DockerSaveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

export async function loadArchive(
  layout: StoreLayout,
  tarPath: string,
  signal?: AbortSignal,
): Promise<LoadedImage[]> {
  const compression = await sniffFile(tarPath);
  const work = await layout.tmpDir('load');
  try {
    const flags = compression === 'gzip' ? ['-z'] : compression === 'zstd' ? ['--zstd'] : [];
    await run(
      'tar',
      ['-x', ...flags, '-f', tarPath, '-C', work, '--no-same-owner'],
      signal ? { cancelSignal: signal } : {},
    );
    if (await exists(join(work, 'manifest.json'))) return await loadDockerSave(layout, work, signal);
    if ((await exists(join(work, 'oci-layout'))) && (await exists(join(work, 'index.json')))) {
      return await loadOciLayout(layout, work, signal);
    }
    throw new RuntimeError(`${tarPath} is neither a docker save archive nor an OCI image layout`, {
      hint: 'expected manifest.json, or oci-layout and index.json, at the top of the archive',
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function loadDockerSave(
  layout: StoreLayout,
  dir: string,
  signal?: AbortSignal,
): Promise<LoadedImage[]> {
  const entries = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DockerSaveEntry[];
  if (!Array.isArray(entries)) throw new RuntimeError('manifest.json in the archive is not a list of images');
  const out: LoadedImage[] = [];
  for (const entry of entries) {
    const configBytes = await readFile(inside(dir, entry.Config));
    const layerFiles = entry.Layers.map((l) => inside(dir, l));
    const record = await storeImage(layout, configBytes, layerFiles, async (file) => sniffFile(file), signal);
    out.push({ record, refs: (entry.RepoTags ?? []).map((t) => normalizeReference(t)) });
  }
  return out;
}

async function loadOciLayout(layout: StoreLayout, dir: string, signal?: AbortSignal): Promise<LoadedImage[]> {
  const blob = async (digest: string): Promise<Buffer> => {
    const bytes = await readFile(inside(dir, join('blobs', ...digest.split(':'))));
    if (sha256(bytes) !== digest)
      throw new RuntimeError(`blob ${digest} in the archive does not match its digest`);
    return bytes;
  };
  const index = parseManifest(await readFile(join(dir, 'index.json')), '', 'index.json');
  if (index.kind !== 'index') throw new RuntimeError('index.json in the archive is not an image index');
  const out: LoadedImage[] = [];
  for (const top of index.manifests) {
    let desc: Descriptor = top;
    let parsed = parseManifest(await blob(desc.digest), desc.mediaType ?? '', desc.digest);
    if (parsed.kind === 'index') {
      desc = selectManifest(parsed.manifests, wantedPlatform(), desc.digest);
      parsed = parseManifest(await blob(desc.digest), desc.mediaType ?? '', desc.digest);
    }
    if (parsed.kind !== 'manifest') throw new RuntimeError(`${desc.digest}: nested index in the archive`);
    const configBytes = await blob(parsed.config.digest);
    const compressions = new Map<string, Compression>();
    const layerFiles: string[] = [];
    for (const l of parsed.layers) {
      const file = inside(dir, join('blobs', ...l.digest.split(':')));
      const c = layerCompression(l.mediaType ?? '');
      if (!c) throw new RuntimeError(`${l.digest}: unsupported layer media type "${l.mediaType}"`);
      if (sha256(await readFile(file)) !== l.digest) {
        throw new RuntimeError(`layer ${l.digest} in the archive does not match its digest`);
      }
      compressions.set(file, c);
      layerFiles.push(file);
    }
    const record = await storeImage(
      layout,
      configBytes,
      layerFiles,
      async (f) => compressions.get(f) ?? 'none',
      signal,
    );
    record.manifestDigest = desc.digest;
    await layout.putImage(record);
    const name =
      top.annotations?.['io.containerd.image.name'] ?? top.annotations?.['org.opencontainers.image.ref.name'];
    // A bare tag ("latest") names no repository, so it cannot become a reference on its own.
    const refs = name && /[/:]/.test(name) ? [normalizeReference(name)] : [];
    out.push({ record, refs });
  }
  return out;
}

export async function storeImage(
  layout: StoreLayout,
  configBytes: Buffer,
  layerFiles: string[],
  compressionOf: (file: string) => Promise<Compression>,
  signal?: AbortSignal,
): Promise<ImageRecord> {
  const id = sha256(configBytes);
  const oci = parseImageConfig(configBytes);
  const diffIds = oci.rootfs?.diff_ids ?? [];
  if (diffIds.length !== layerFiles.length) {
    throw new RuntimeError(
      `image ${id}: ${layerFiles.length} layers in the archive but ${diffIds.length} diff_ids in its config`,
    );
  }
  let size = 0;
  for (const [i, file] of layerFiles.entries()) {
    const rec = await installLayer(layout, file, await compressionOf(file), diffIds[i] as string, signal);
    size += rec.size;
  }
  await writeFileAtomic(layout.blobPath(id), configBytes);
  const previous = await layout.image(id);
  const record: ImageRecord = {
    ...(previous ?? {}),
    id,
    layers: diffIds,
    size,
    ...(oci.created ? { created: oci.created } : {}),
    ...(oci.architecture ? { architecture: oci.architecture } : {}),
    ...(oci.os ? { os: oci.os } : {}),
    config: toImageConfig(oci),
  };
  await layout.putImage(record);
  return record;
}

/** A path named by the archive, refused if it points outside the unpacked archive. */
function inside(dir: string, name: string): string {
  const p = resolve(dir, name);
  const rel = relative(dir, p);
  if (rel.startsWith('..') || rel === '')
    throw new RuntimeError(`archive names a path outside itself: "${name}"`);
  return p;
}

async function sniffFile(path: string): Promise<Compression> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new RuntimeError(`cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, 0);
    return sniffCompression(buf);
  } finally {
    await fh.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
