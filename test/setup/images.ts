// Test images built locally with no internet: a busybox image from the host's busybox-static, plus
// variants (gzip/zstd/uncompressed layers, a multi-platform index, whiteouts), pushed to a test
// registry with the distribution API (monolithic upload) or written as docker-save / OCI-layout tars.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export const BUSYBOX = '/usr/bin/busybox';

export type LayerCompression = 'gzip' | 'zstd' | 'none';
export type ManifestFormat = 'docker' | 'oci';

export interface LayerFile {
  path: string;
  type?: 'file' | 'directory' | 'symlink';
  content?: string;
  target?: string;
  mode?: number;
}

export interface BuiltLayer {
  /** The uncompressed tar. */
  tar: Buffer;
  diffId: string;
  /** The bytes pushed (compressed as asked). */
  blob: Buffer;
  digest: string;
  mediaType: string;
}

export interface BuiltImage {
  config: Buffer;
  configDigest: string;
  configMediaType: string;
  layers: BuiltLayer[];
  manifest: Buffer;
  manifestDigest: string;
  manifestMediaType: string;
}

export interface BuildOptions {
  compression?: LayerCompression;
  format?: ManifestFormat;
  architecture?: string;
  variant?: string;
  cmd?: string[];
  env?: string[];
  labels?: Record<string, string>;
}

export const sha256 = (b: Uint8Array | string): string =>
  `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A layer tar from a list of entries (whiteouts are just files named `.wh.*`). */
export async function makeLayer(files: LayerFile[]): Promise<Buffer> {
  const pack = tar.pack();
  const done = collect(pack);
  for (const f of files) {
    const mtime = new Date(0);
    if (f.type === 'directory')
      pack.entry({ name: `${f.path}/`, type: 'directory', mode: f.mode ?? 0o755, mtime });
    else if (f.type === 'symlink')
      pack.entry({ name: f.path, type: 'symlink', linkname: f.target ?? '', mtime });
    else pack.entry({ name: f.path, mode: f.mode ?? 0o644, mtime }, f.content ?? '');
  }
  pack.finalize();
  return done;
}

function collect(pack: tar.Pack): Promise<Buffer> {
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  return new Promise((resolve, reject) => {
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
}

/** /bin/busybox with every applet linked to it, /etc/passwd and /etc/group, /tmp. */
export function busyboxLayer(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-busybox-'));
  try {
    mkdirSync(join(dir, 'bin'), { recursive: true });
    copyFileSync(BUSYBOX, join(dir, 'bin', 'busybox'));
    const applets = execFileSync(BUSYBOX, ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const a of applets) {
      if (a === 'bin/busybox') continue;
      mkdirSync(join(dir, dirname(a)), { recursive: true });
      try {
        symlinkSync('/bin/busybox', join(dir, a));
      } catch {
        // an applet listed twice
      }
    }
    mkdirSync(join(dir, 'etc'), { recursive: true });
    mkdirSync(join(dir, 'tmp'), { recursive: true, mode: 0o1777 });
    writeFileSync(
      join(dir, 'etc', 'passwd'),
      'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    );
    writeFileSync(join(dir, 'etc', 'group'), 'root:x:0:\napp:x:1000:\nnogroup:x:65534:\n');
    return execFileSync(
      'tar',
      [
        '-c',
        '-f',
        '-',
        '--sort=name',
        '--numeric-owner',
        '--owner=0',
        '--group=0',
        '--mtime=@0',
        '-C',
        dir,
        '.',
      ],
      { maxBuffer: 256 * 1024 * 1024 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LAYER_TYPES: Record<ManifestFormat, Record<LayerCompression, string>> = {
  docker: {
    gzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
    zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
    none: 'application/vnd.oci.image.layer.v1.tar',
  },
  oci: {
    gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
    zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
    none: 'application/vnd.oci.image.layer.v1.tar',
  },
};

function compress(data: Buffer, c: LayerCompression): Buffer {
  if (c === 'gzip') return gzipSync(data);
  if (c === 'zstd') return execFileSync('zstd', ['-q', '-c'], { input: data, maxBuffer: 256 * 1024 * 1024 });
  return data;
}

export function buildImage(layerTars: Buffer[], opts: BuildOptions = {}): BuiltImage {
  const format = opts.format ?? 'docker';
  const compression = opts.compression ?? 'gzip';
  const layers = layerTars.map((t): BuiltLayer => {
    const blob = compress(t, compression);
    return {
      tar: t,
      diffId: sha256(t),
      blob,
      digest: sha256(blob),
      mediaType: LAYER_TYPES[format][compression],
    };
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: opts.architecture ?? 'amd64',
      ...(opts.variant ? { variant: opts.variant } : {}),
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: {
        Env: opts.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        Cmd: opts.cmd ?? ['sh'],
        ...(opts.labels ? { Labels: opts.labels } : {}),
      },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    }),
  );
  const configMediaType =
    format === 'docker'
      ? 'application/vnd.docker.container.image.v1+json'
      : 'application/vnd.oci.image.config.v1+json';
  const manifestMediaType =
    format === 'docker'
      ? 'application/vnd.docker.distribution.manifest.v2+json'
      : 'application/vnd.oci.image.manifest.v1+json';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestMediaType,
      config: { mediaType: configMediaType, digest: sha256(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
    }),
  );
  return {
    config,
    configDigest: sha256(config),
    configMediaType,
    layers,
    manifest,
    manifestDigest: sha256(manifest),
    manifestMediaType,
  };
}

/** Monolithic blob upload (POST then PUT ?digest=), skipped when the registry already has it. */
export async function pushBlob(registryUrl: string, name: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const head = await fetch(`${registryUrl}/v2/${name}/blobs/${digest}`, { method: 'HEAD' });
  if (head.status === 200) return digest;
  const start = await fetch(`${registryUrl}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`upload start for ${name}: HTTP ${start.status}`);
  const location = new URL(start.headers.get('location') ?? '', registryUrl);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) },
    body: data,
  });
  if (put.status !== 201)
    throw new Error(`upload of ${digest} to ${name}: HTTP ${put.status} ${await put.text()}`);
  return digest;
}

export async function pushManifest(
  registryUrl: string,
  name: string,
  reference: string,
  body: Buffer,
  mediaType: string,
): Promise<void> {
  const res = await fetch(`${registryUrl}/v2/${name}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'Content-Type': mediaType },
    body,
  });
  if (res.status !== 201)
    throw new Error(`manifest PUT ${name}:${reference}: HTTP ${res.status} ${await res.text()}`);
}

export async function pushImage(
  registryUrl: string,
  name: string,
  tag: string,
  img: BuiltImage,
): Promise<void> {
  for (const l of img.layers) await pushBlob(registryUrl, name, l.blob);
  await pushBlob(registryUrl, name, img.config);
  await pushManifest(registryUrl, name, tag, img.manifest, img.manifestMediaType);
}

let busyboxTar: Buffer | undefined;
function cachedBusyboxLayer(): Buffer {
  busyboxTar ??= busyboxLayer();
  return busyboxTar;
}

/** The busybox image pushed as `<registry>/<name>:<tag>`. */
export async function pushBusybox(
  registry: { url: string },
  name: string,
  opts: BuildOptions & { tag?: string } = {},
): Promise<BuiltImage> {
  const img = buildImage([cachedBusyboxLayer()], opts);
  await pushImage(registry.url, name, opts.tag ?? 'latest', img);
  return img;
}

/**
 * busybox + a layer with /etc/hidden and /d/{a,sub/x} + a layer that whites out /etc/hidden and makes
 * /d opaque with a new /d/b. Merged, /etc/hidden is gone and /d holds only b.
 */
export async function whiteoutImage(opts: BuildOptions = {}): Promise<BuiltImage> {
  const lower = await makeLayer([
    { path: 'etc/hidden', content: 'you should not see me\n' },
    { path: 'd', type: 'directory' },
    { path: 'd/a', content: 'a\n' },
    { path: 'd/sub', type: 'directory' },
    { path: 'd/sub/x', content: 'x\n' },
  ]);
  const upper = await makeLayer([
    { path: 'etc', type: 'directory' },
    { path: 'etc/.wh.hidden' },
    { path: 'd', type: 'directory', mode: 0o750 },
    { path: 'd/.wh..wh..opq' },
    { path: 'd/b', content: 'b\n' },
  ]);
  return buildImage([cachedBusyboxLayer(), lower, upper], opts);
}

export async function pushWhiteoutImage(
  registry: { url: string },
  name: string,
  opts: BuildOptions & { tag?: string } = {},
): Promise<BuiltImage> {
  const img = await whiteoutImage(opts);
  await pushImage(registry.url, name, opts.tag ?? 'latest', img);
  return img;
}

/**
 * An OCI index with linux/amd64 (busybox + /etc/arch = amd64), linux/arm64/v8 (/etc/arch = arm64)
 * and an attestation-style entry with platform unknown/unknown that clients must skip.
 */
export async function pushMultiPlatform(
  registry: { url: string },
  name: string,
  tag = 'latest',
): Promise<{ index: Buffer; indexDigest: string; amd64: BuiltImage; arm64: BuiltImage }> {
  const amd64 = buildImage(
    [cachedBusyboxLayer(), await makeLayer([{ path: 'etc/arch', content: 'amd64\n' }])],
    { format: 'oci' },
  );
  const arm64 = buildImage([await makeLayer([{ path: 'etc/arch', content: 'arm64\n' }])], {
    format: 'oci',
    architecture: 'arm64',
    variant: 'v8',
  });
  const attest = buildImage([await makeLayer([{ path: 'attestation.json', content: '{}' }])], {
    format: 'oci',
    architecture: 'unknown',
  });
  for (const [img, ref] of [
    [amd64, amd64.manifestDigest],
    [arm64, arm64.manifestDigest],
    [attest, attest.manifestDigest],
  ] as const) {
    await pushImage(registry.url, name, ref, img);
  }
  const entry = (img: BuiltImage, platform: Record<string, string>): Record<string, unknown> => ({
    mediaType: img.manifestMediaType,
    digest: img.manifestDigest,
    size: img.manifest.length,
    platform,
  });
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        entry(attest, { os: 'unknown', architecture: 'unknown' }),
        entry(arm64, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
        entry(amd64, { os: 'linux', architecture: 'amd64' }),
      ],
    }),
  );
  await pushManifest(registry.url, name, tag, index, 'application/vnd.oci.image.index.v1+json');
  return { index, indexDigest: sha256(index), amd64, arm64 };
}

function writeTar(
  path: string,
  entries: { name: string; data: Buffer | string }[],
  gzip: boolean,
): Promise<void> {
  return (async () => {
    const pack = tar.pack();
    const done = collect(pack);
    const dirs = new Set<string>();
    for (const e of entries) {
      const parts = e.name.split('/').slice(0, -1);
      for (let i = 1; i <= parts.length; i++) {
        const d = parts.slice(0, i).join('/');
        if (!dirs.has(d)) {
          dirs.add(d);
          pack.entry({ name: `${d}/`, type: 'directory', mode: 0o755 });
        }
      }
      pack.entry({ name: e.name, mode: 0o644 }, e.data);
    }
    pack.finalize();
    const raw = await done;
    writeFileSync(path, gzip ? gzipSync(raw) : raw);
  })();
}

/** A `docker save` archive (manifest.json, <id>.json, <n>/layer.tar) of the busybox image tagged `tag`. */
export async function writeDockerSaveTar(
  path: string,
  opts: { tags?: string[]; gzip?: boolean; image?: BuiltImage } = {},
): Promise<BuiltImage> {
  const img = opts.image ?? buildImage([cachedBusyboxLayer()], { compression: 'none' });
  const configName = `${img.configDigest.slice(7)}.json`;
  const layerNames = img.layers.map((l) => `${l.diffId.slice(7)}/layer.tar`);
  const manifest = [
    { Config: configName, RepoTags: opts.tags ?? ['cmp-test/busybox:saved'], Layers: layerNames },
  ];
  await writeTar(
    path,
    [
      { name: 'manifest.json', data: JSON.stringify(manifest) },
      { name: configName, data: img.config },
      ...img.layers.map((l, i) => ({ name: layerNames[i] as string, data: l.tar })),
    ],
    opts.gzip ?? false,
  );
  return img;
}

/** An OCI image layout archive whose index names the image `ref`. */
export async function writeOciLayoutTar(
  path: string,
  opts: { ref?: string; gzip?: boolean; compression?: LayerCompression } = {},
): Promise<BuiltImage> {
  const img = buildImage([cachedBusyboxLayer()], { format: 'oci', compression: opts.compression ?? 'gzip' });
  const blob = (d: string): string => `blobs/sha256/${d.slice(7)}`;
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: img.manifestMediaType,
        digest: img.manifestDigest,
        size: img.manifest.length,
        annotations: { 'org.opencontainers.image.ref.name': opts.ref ?? 'cmp-test/busybox:oci' },
      },
    ],
  };
  await writeTar(
    path,
    [
      { name: 'oci-layout', data: JSON.stringify({ imageLayoutVersion: '1.0.0' }) },
      { name: 'index.json', data: JSON.stringify(index) },
      { name: blob(img.manifestDigest), data: img.manifest },
      { name: blob(img.configDigest), data: img.config },
      ...img.layers.map((l) => ({ name: blob(l.digest), data: l.blob })),
    ],
    opts.gzip ?? false,
  );
  return img;
}
