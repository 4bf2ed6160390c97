// Unpacks one layer tar into its own directory, ready to be an overlay lowerdir.
//
// Node can neither mknod nor setxattr, and overlayfs wants whiteouts as 0:0 character devices and
// opaque directories as a `trusted.overlay.opaque=y` xattr. So the stream is rewritten entry by entry
// with tar-stream (OCI `.wh.` files become device entries, `.wh..wh..opq` becomes a PAX xattr record)
// and handed to GNU tar, which creates devices, owners and xattrs as root. The uncompressed bytes are
// hashed on the way, so the diff_id is checked without a second read.
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { RuntimeError } from '../../../util/errors.js';
import { spawnStreaming } from '../../../util/spawn-stream.js';
import { HashingStream } from './digest.js';
import type { Compression } from './media.js';

const WH_PREFIX = '.wh.';
const WH_OPAQUE = '.wh..wh..opq';
const OPAQUE_XATTR = 'SCHILY.xattr.trusted.overlay.opaque';

/** tar-stream keeps PAX records on `pax`, typed as unknown; they are string maps. */
type TarHeader = Partial<tar.Header> & { name: string; pax?: Record<string, string> | null };

export interface UnpackResult {
  diffId: string;
  /** Bytes of the uncompressed tar. */
  size: number;
  whiteouts: number;
  opaqueDirs: number;
}

/** Decompresses a blob file: zlib for gzip, the `zstd` CLI for zstd (Node 20's zlib has none). */
export function openDecompressed(
  path: string,
  compression: Compression,
): { stream: Readable; done: Promise<unknown> } {
  const file = createReadStream(path);
  if (compression === 'none') return { stream: file, done: Promise.resolve() };
  if (compression === 'gzip') {
    const gunzip = createGunzip();
    const out = new PassThrough();
    const done = pipeline(file, gunzip, out);
    return { stream: out, done };
  }
  const proc = spawnStreaming('zstd', ['-d', '-c', '-q']);
  const fed = pipeline(file, proc.stdin);
  const out = new PassThrough();
  const piped = pipeline(proc.stdout, out);
  return { stream: out, done: Promise.all([fed, piped, proc.done]) };
}

/** Entry names inside a layer: relative, no `..`; anything else is a hostile or broken layer. */
export function cleanEntryName(name: string): string | undefined {
  const stripped = name.replace(/^\/+/, '');
  const norm = posix.normalize(stripped === '' ? '.' : stripped).replace(/\/+$/, '');
  if (norm === '.' || norm === '') return undefined;
  if (norm === '..' || norm.startsWith('../') || norm.split('/').includes('..')) {
    throw new RuntimeError(`layer entry "${name}" escapes the layer root`);
  }
  return norm;
}

export async function unpackLayer(
  blobPath: string,
  compression: Compression,
  destDir: string,
  signal?: AbortSignal,
): Promise<UnpackResult> {
  const source = openDecompressed(blobPath, compression);
  const hasher = new HashingStream();
  const extract = tar.extract();
  const pack = tar.pack();
  const gnuTar = spawnStreaming(
    'tar',
    [
      '-x',
      '-f',
      '-',
      '-C',
      destDir,
      '--numeric-owner',
      '--same-owner',
      '--same-permissions',
      '--xattrs',
      '--xattrs-include=*',
    ],
    signal ? { cancelSignal: signal } : {},
  );
  const intoTar = pipeline(pack, gnuTar.stdin);
  const reading = pipeline(source.stream, hasher, extract);
  const dirHeaders = new Map<string, TarHeader>();
  let whiteouts = 0;
  let opaqueDirs = 0;

  const rewrite = async (): Promise<void> => {
    for await (const entry of extract) {
      const h = entry.header as TarHeader;
      const name = cleanEntryName(h.name);
      const base = name ? posix.basename(name) : '';
      if (name && base.startsWith(WH_PREFIX)) {
        entry.resume();
        const dir = posix.dirname(name);
        if (base === WH_OPAQUE) {
          opaqueDirs++;
          const dirHeader = dirHeaders.get(dir);
          await addEntry(pack, {
            name: dir === '.' ? './' : `${dir}/`,
            type: 'directory',
            mode: dirHeader?.mode ?? 0o755,
            uid: dirHeader?.uid ?? 0,
            gid: dirHeader?.gid ?? 0,
            mtime: dirHeader?.mtime ?? new Date(0),
            pax: { ...keptPax(dirHeader?.pax), [OPAQUE_XATTR]: 'y' },
          });
        } else if (!base.startsWith(`${WH_PREFIX}${WH_PREFIX}`)) {
          // `.wh..wh.*` other than the opaque marker are AUFS bookkeeping, not deletions.
          whiteouts++;
          await addEntry(pack, {
            name: posix.join(dir, base.slice(WH_PREFIX.length)),
            type: 'character-device',
            devmajor: 0,
            devminor: 0,
            mode: 0o600,
            uid: 0,
            gid: 0,
            mtime: h.mtime ?? new Date(0),
          });
        }
        continue;
      }
      if (!name) {
        entry.resume();
        continue;
      }
      const header: TarHeader = { ...h, name, pax: keptPax(h.pax) };
      if (h.type === 'link' && h.linkname) {
        const target = cleanEntryName(h.linkname);
        if (!target) throw new RuntimeError(`layer hard link "${h.name}" has an invalid target`);
        header.linkname = target;
      }
      if (h.type === 'directory') dirHeaders.set(name, h);
      if (h.type === 'file' || h.type === 'contiguous-file') {
        await new Promise<void>((resolve, reject) => {
          const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
          entry.pipe(sink);
        });
      } else {
        entry.resume();
        await addEntry(pack, header);
      }
    }
    pack.finalize();
  };

  try {
    await Promise.all([rewrite(), reading, intoTar, gnuTar.done, source.done]);
  } catch (e) {
    pack.destroy();
    gnuTar.kill();
    if (e instanceof RuntimeError) throw e;
    throw new RuntimeError(`cannot unpack layer: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  return { diffId: hasher.digest(), size: hasher.bytes, whiteouts, opaqueDirs };
}

function addEntry(pack: tar.Pack, header: TarHeader): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, (err) => (err ? reject(err) : resolve()));
  });
}

/** PAX records worth carrying over (xattrs, long times); path/size are re-derived by the packer. */
function keptPax(pax: Record<string, string> | null | undefined): Record<string, string> | undefined {
  if (!pax) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(pax)) {
    if (k === 'path' || k === 'linkpath' || k === 'size') continue;
    out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}
