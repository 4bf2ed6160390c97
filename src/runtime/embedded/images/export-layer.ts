// Turns an unpacked layer back into a layer tar, for `image save` and `image push`. The store keeps
// layers unpacked only, so the original bytes are gone: GNU tar reads the directory (as root, with
// owners and xattrs), and the stream is rewritten the other way round from layer.ts (0:0 character
// devices become `.wh.` files, the overlay opaque xattr becomes `.wh..wh..opq`). Entries are sorted and
// volatile PAX times dropped, so the same directory always gives the same bytes and the same diff_id.
import { createReadStream, createWriteStream } from 'node:fs';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { RuntimeError } from '../../../util/errors.js';
import { spawnStreaming } from '../../../util/spawn-stream.js';
import { HashingStream } from './digest.js';

const OPAQUE_XATTR = 'SCHILY.xattr.trusted.overlay.opaque';

type TarHeader = Partial<tar.Header> & { name: string; pax?: Record<string, string> | null };

export interface ExportedLayer {
  /** Where the tar was written. */
  path: string;
  diffId: string;
  size: number;
}

export interface CompressedLayer {
  path: string;
  digest: string;
  size: number;
}

export interface ExportOptions {
  /** Entries left out (names relative to the root, no leading `./`): a container's mount points. */
  skip?: (name: string) => boolean;
}

/** Writes the tar of one unpacked layer directory (or a container's overlay upper dir) to `dest`. */
export async function exportLayer(
  root: string,
  dest: string,
  signal?: AbortSignal,
  opts: ExportOptions = {},
): Promise<ExportedLayer> {
  const gnuTar = spawnStreaming(
    'tar',
    [
      '-c',
      '-f',
      '-',
      '-C',
      root,
      '--numeric-owner',
      '--xattrs',
      '--xattrs-include=*',
      '--sort=name',
      '--format=posix',
      '--pax-option=delete=atime,delete=ctime',
      '.',
    ],
    signal ? { cancelSignal: signal } : {},
  );
  const extract = tar.extract();
  const pack = tar.pack();
  const hasher = new HashingStream();
  const reading = pipeline(gnuTar.stdout, extract);
  const writing = pipeline(pack, hasher, createWriteStream(dest));

  const rewrite = async (): Promise<void> => {
    for await (const entry of extract) {
      const h = entry.header as TarHeader;
      const name = h.name.replace(/^\.\/?/, '').replace(/\/+$/, '');
      if (name === '' || opts.skip?.(name)) {
        entry.resume();
        continue;
      }
      if (h.type === 'character-device' && h.devmajor === 0 && h.devminor === 0) {
        entry.resume();
        await add(pack, {
          name: posix.join(posix.dirname(name), `.wh.${posix.basename(name)}`),
          type: 'file',
          size: 0,
          mode: 0o644,
          uid: 0,
          gid: 0,
          mtime: h.mtime ?? new Date(0),
        });
        continue;
      }
      const pax = xattrsOnly(h.pax);
      const opaque = pax?.[OPAQUE_XATTR] === 'y';
      if (pax) delete pax[OPAQUE_XATTR];
      const header: TarHeader = {
        name: h.type === 'directory' ? `${name}/` : name,
        type: h.type ?? 'file',
        mode: h.mode ?? 0o644,
        uid: h.uid ?? 0,
        gid: h.gid ?? 0,
        mtime: wholeSeconds(h.mtime),
        ...(h.linkname ? { linkname: h.type === 'link' ? h.linkname.replace(/^\.\//, '') : h.linkname } : {}),
        ...(h.devmajor !== undefined ? { devmajor: h.devmajor, devminor: h.devminor ?? 0 } : {}),
        ...(pax && Object.keys(pax).length > 0 ? { pax } : {}),
      };
      if (h.type === 'file' || h.type === 'contiguous-file') {
        header.size = h.size ?? 0;
        await new Promise<void>((resolve, reject) => {
          const sink = pack.entry(header, (err) => (err ? reject(err) : resolve()));
          entry.pipe(sink);
        });
      } else {
        entry.resume();
        await add(pack, header);
      }
      if (opaque) {
        await add(pack, {
          name: posix.join(name, '.wh..wh..opq'),
          type: 'file',
          size: 0,
          mode: 0o644,
          uid: 0,
          gid: 0,
          mtime: wholeSeconds(h.mtime),
        });
      }
    }
    pack.finalize();
  };

  try {
    await Promise.all([rewrite(), reading, writing, gnuTar.done]);
  } catch (e) {
    pack.destroy();
    gnuTar.kill();
    if (e instanceof RuntimeError) throw e;
    throw new RuntimeError(`cannot export layer ${root}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    });
  }
  return { path: dest, diffId: hasher.digest(), size: hasher.bytes };
}

/** gzip, as registries expect layers; zlib writes no timestamp, so the digest is stable too. */
export async function gzipLayer(src: string, dest: string): Promise<CompressedLayer> {
  const hasher = new HashingStream();
  await pipeline(createReadStream(src), createGzip(), hasher, createWriteStream(dest));
  return { path: dest, digest: hasher.digest(), size: hasher.bytes };
}

/** An entry with no body; a file's (empty) body is passed too, or tar-stream waits for one forever. */
function add(pack: tar.Pack, header: TarHeader): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null): void => (err ? reject(err) : resolve());
    if (header.type === 'file') pack.entry(header, Buffer.alloc(0), done);
    else pack.entry(header, done);
  });
}

/**
 * Only xattrs travel: times and names are carried by the header itself. Of overlayfs's own xattrs only the
 * opaque marker means something in a layer; the others (origin, impure) are bookkeeping of an upper dir.
 */
function xattrsOnly(pax: Record<string, string> | null | undefined): Record<string, string> | undefined {
  if (!pax) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(pax)) {
    if (!k.startsWith('SCHILY.xattr.')) continue;
    if (k.startsWith('SCHILY.xattr.trusted.overlay.') && k !== OPAQUE_XATTR) continue;
    out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function wholeSeconds(d: Date | undefined): Date {
  return new Date(Math.floor((d?.getTime() ?? 0) / 1000) * 1000);
}
