// sha256 digests in the `sha256:<hex>` form the OCI specs use.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { RuntimeError } from '../../../util/errors.js';

const DIGEST_RE = /^sha256:([a-f0-9]{64})$/;

export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The hex part; refuses other algorithms and malformed digests, which would otherwise become paths. */
export function digestHex(digest: string): string {
  const m = DIGEST_RE.exec(digest);
  if (!m?.[1]) throw new RuntimeError(`unsupported or malformed digest "${digest}"`);
  return m[1];
}

export function isDigest(s: string): boolean {
  return DIGEST_RE.test(s);
}

/** A pass-through stream that hashes and counts what flows through it. */
export class HashingStream extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }

  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}
