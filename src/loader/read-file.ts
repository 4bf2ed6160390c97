// Every file a compose project makes cmp read at load time (compose files, `include` and `extends`
// files, `.env`, `--env-file`, a service's `env_file`) is untrusted input: it is read only when it is
// a regular file no larger than a cap, so `/dev/zero`, a FIFO or a multi-gigabyte file ends in a
// located error instead of a hang or an exhausted heap. The file is opened non-blocking (a FIFO
// without a writer must not block the open) and checked on the open descriptor, so a path swapped
// between a check and the read cannot slip past.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { SourceLocation } from '../model/types.js';
import { LoadError } from '../util/errors.js';

const MIB = 1024 * 1024;
/** A compose file, or stdin with `-f -`. The yaml package needs about 2 s and 180 MB for 1 MiB of keys. */
export const MAX_COMPOSE_FILE_BYTES = 2 * MIB;
/** `.env`, `--env-file`, `env_file`: far above any real one, and cheap to parse. */
export const MAX_ENV_FILE_BYTES = 1 * MIB;

const OPEN_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
};

export type FileKind = 'compose file' | 'env file';

const LIMITS: Record<FileKind, number> = {
  'compose file': MAX_COMPOSE_FILE_BYTES,
  'env file': MAX_ENV_FILE_BYTES,
};

export function sizeText(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes} bytes`;
}

export function tooLarge(kind: FileKind, path: string, from: SourceLocation | undefined): LoadError {
  return new LoadError(`${kind} ${path} is larger than ${sizeText(LIMITS[kind])}`, {
    location: from ?? { file: path, line: 0, col: 0 },
  });
}

/** The text of a regular file of at most the kind's cap; anything else is a LoadError located at `from`. */
export function readBounded(path: string, kind: FileKind, from?: SourceLocation): string {
  const location = from ?? { file: path, line: 0, col: 0 };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new LoadError(`open ${path}: ${OPEN_ERRORS[code] ?? (e as Error).message}`, { location });
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new LoadError(`open ${path}: is a directory`, { location });
    if (!st.isFile()) {
      throw new LoadError(`${kind} ${path} is not a regular file`, {
        location,
        hint: 'devices, FIFOs and sockets are not read',
      });
    }
    const limit = LIMITS[kind];
    if (st.size > limit) throw tooLarge(kind, path, from);
    // Up to one byte past the cap, so a file that grew after fstat is still caught.
    const buf = Buffer.allocUnsafe(limit + 1);
    let len = 0;
    while (len < buf.length) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
    }
    if (len > limit) throw tooLarge(kind, path, from);
    return buf.toString('utf8', 0, len);
  } finally {
    closeSync(fd);
  }
}

/** A compose file given as `-f -`, with the same size bound as a file. */
export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin) {
    size += (c as Buffer).length;
    if (size > MAX_COMPOSE_FILE_BYTES) {
      process.stdin.destroy();
      throw tooLarge('compose file', '<stdin>', undefined);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
