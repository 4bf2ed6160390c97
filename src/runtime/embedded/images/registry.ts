// A client for one repository on one registry, per the OCI distribution spec: ping /v2/, answer the
// WWW-Authenticate challenge (bearer token or basic), fetch manifests and blobs, verify digests.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat, truncate } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { RuntimeError } from '../../../util/errors.js';
import { basicHeader, credentialsFor, parseChallenge, type Challenge, type Credentials } from './auth.js';
import { sha256 } from './digest.js';
import { MANIFEST_ACCEPT } from './media.js';
import { registryHost, registryScheme } from '../../image-reference.js';

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  /** sha256 of the bytes received (already checked against what was asked for). */
  digest: string;
}

export interface RegistryOptions {
  env?: NodeJS.ProcessEnv;
  /** Attempts per blob download before giving up (a broken transfer resumes where it stopped). */
  blobAttempts?: number;
  requestTimeoutMs?: number;
}

const MAX_REDIRECTS = 5;

export class RegistryClient {
  private readonly base: string;
  private readonly env: NodeJS.ProcessEnv;
  private authorization: string | undefined;
  private pinged = false;
  private readonly creds: Credentials | undefined;

  constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly opts: RegistryOptions = {},
  ) {
    this.env = opts.env ?? process.env;
    this.base = `${registryScheme(registry, this.env)}://${registryHost(registry)}`;
    this.creds = credentialsFor(registry, this.env);
  }

  /** Fetches a manifest by tag or digest and checks its bytes against the digest. */
  async manifest(reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    const res = await this.request(`/v2/${this.repository}/manifests/${reference}`, {
      headers: { Accept: MANIFEST_ACCEPT },
      signal,
      timeout: true,
    });
    if (res.status === 404) {
      throw new RuntimeError(
        `manifest for ${this.registry}/${this.repository}:${reference} not found in registry ${this.registry}`,
      );
    }
    if (!res.ok) throw await this.statusError(res, `manifest ${reference}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = sha256(bytes);
    const expected = reference.startsWith('sha256:') ? reference : res.headers.get('docker-content-digest');
    if (expected && expected !== digest) {
      throw new RuntimeError(
        `manifest ${reference} from registry ${this.registry} failed verification: its content hashes to ${digest}, not ${expected}`,
      );
    }
    const mediaType =
      (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ||
      (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ||
      '';
    return { bytes, mediaType, digest };
  }

  /** A small blob (an image config) read into memory and verified. */
  async blobBytes(digest: string, signal?: AbortSignal): Promise<Buffer> {
    const res = await this.request(`/v2/${this.repository}/blobs/${digest}`, { signal, timeout: true });
    if (!res.ok) throw await this.statusError(res, `blob ${digest}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const got = sha256(bytes);
    if (got !== digest) throw this.mismatch(digest, got);
    return bytes;
  }

  /**
   * Downloads a blob to `dest`, resuming with a Range request after a broken transfer when the
   * registry supports it (206), starting over when it does not (200). The file appears at `dest`
   * only once its digest matches.
   */
  async blobToFile(
    digest: string,
    size: number | undefined,
    dest: string,
    onProgress: (current: number) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const partial = `${dest}.partial`;
    const attempts = this.opts.blobAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      let have = await fileSize(partial);
      if (size !== undefined && have > size) {
        await truncate(partial, 0);
        have = 0;
      }
      try {
        const headers: Record<string, string> = have > 0 ? { Range: `bytes=${have}-` } : {};
        const res = await this.request(`/v2/${this.repository}/blobs/${digest}`, { headers, signal });
        if (!res.ok) throw await this.statusError(res, `blob ${digest}`);
        const append = have > 0 && res.status === 206;
        if (!append) have = 0;
        if (!res.body) throw new Error('empty response body');
        let done = have;
        const counter = new Transform({
          transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
            done += chunk.length;
            onProgress(done);
            cb(null, chunk);
          },
        });
        await pipeline(
          Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
          counter,
          createWriteStream(partial, { flags: append ? 'a' : 'w' }),
          ...(signal ? [{ signal }] : []),
        );
        break;
      } catch (e) {
        if (signal?.aborted) throw e;
        if (e instanceof RuntimeError || attempt >= attempts) {
          if (e instanceof RuntimeError) throw e;
          throw new RuntimeError(
            `download of ${digest} from registry ${this.registry} failed after ${attempt} attempts: ${errorText(e)}`,
            { cause: e },
          );
        }
        await delay(200 * 2 ** attempt);
      }
    }
    const got = await hashFile(partial);
    if (got !== digest) {
      await rm(partial, { force: true });
      throw this.mismatch(digest, got);
    }
    await rename(partial, dest);
  }

  private mismatch(expected: string, got: string): RuntimeError {
    return new RuntimeError(
      `blob ${expected} from registry ${this.registry} failed verification: its content hashes to ${got}`,
      { hint: 'the registry served corrupt or tampered content; nothing was stored' },
    );
  }

  private async statusError(res: Response, what: string): Promise<RuntimeError> {
    let detail = '';
    try {
      const body = (await res.json()) as { errors?: { code?: string; message?: string }[] };
      const first = body.errors?.[0];
      if (first) detail = `: ${first.message ?? first.code ?? ''}`;
    } catch {
      // a body that is not the registry's JSON error format adds nothing
    }
    if (res.status === 401 || res.status === 403) {
      return new RuntimeError(
        `pull access denied for ${this.registry}/${this.repository} (${what}, HTTP ${res.status}${detail})`,
        {
          hint: this.creds
            ? `the credentials for ${this.registry} in the docker config were refused`
            : `the registry wants credentials: add them for ${this.registry} to $DOCKER_CONFIG/config.json or ~/.docker/config.json`,
        },
      );
    }
    return new RuntimeError(`registry ${this.registry} answered HTTP ${res.status} for ${what}${detail}`);
  }

  /** GET /v2/: tells whether and how the registry wants us to authenticate. */
  private async ping(signal?: AbortSignal): Promise<void> {
    this.pinged = true;
    const res = await this.send(`${this.base}/v2/`, {}, signal, true);
    if (res.status === 401) {
      await this.authorize(parseChallenge(res.headers.get('www-authenticate')), signal);
    } else if (!res.ok && res.status !== 404) {
      // 404 here means a registry that does not implement the ping; the real requests will tell.
      throw new RuntimeError(`cannot use registry ${this.registry}: /v2/ answered HTTP ${res.status}`);
    }
    await res.body?.cancel();
  }

  private async authorize(challenge: Challenge | undefined, signal?: AbortSignal): Promise<void> {
    if (!challenge) return;
    if (challenge.scheme === 'basic') {
      if (this.creds) this.authorization = basicHeader(this.creds);
      return;
    }
    const realm = challenge.params.realm;
    if (!realm) throw new RuntimeError(`registry ${this.registry} sent a bearer challenge without a realm`);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', `repository:${this.repository}:pull`);
    const headers: Record<string, string> = {};
    if (this.creds) headers.Authorization = basicHeader(this.creds);
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: withTimeout(signal, this.opts.requestTimeoutMs) });
    } catch (e) {
      throw new RegistryUnreachableError(
        `cannot reach the token service of registry ${this.registry} (${url.origin}): ${errorText(e)}`,
        {
          cause: e,
        },
      );
    }
    if (res.status === 401 || res.status === 403) {
      throw new RuntimeError(
        `authentication to registry ${this.registry} failed: the token service refused ${this.creds ? 'the credentials' : 'anonymous access'}`,
        {
          hint: this.creds
            ? undefined
            : `add credentials for ${this.registry} to $DOCKER_CONFIG/config.json or ~/.docker/config.json`,
        },
      );
    }
    if (!res.ok)
      throw new RuntimeError(`token service of registry ${this.registry} answered HTTP ${res.status}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RuntimeError(`token service of registry ${this.registry} returned no token`);
    this.authorization = `Bearer ${token}`;
  }

  private async request(
    path: string,
    init: { headers?: Record<string, string>; signal?: AbortSignal | undefined; timeout?: boolean },
  ): Promise<Response> {
    if (!this.pinged) await this.ping(init.signal);
    let res = await this.send(`${this.base}${path}`, init.headers ?? {}, init.signal, init.timeout ?? false);
    if (res.status === 401) {
      // A token can expire mid-pull, or the ping may not have asked for auth: answer the new challenge once.
      await res.body?.cancel();
      await this.authorize(parseChallenge(res.headers.get('www-authenticate')), init.signal);
      res = await this.send(`${this.base}${path}`, init.headers ?? {}, init.signal, init.timeout ?? false);
    }
    return res;
  }

  /** One request, following redirects by hand so credentials never travel to another origin (blob CDNs). */
  private async send(
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    timeout: boolean,
  ): Promise<Response> {
    let target = new URL(url);
    const origin = target.origin;
    for (let hop = 0; ; hop++) {
      const h: Record<string, string> = { ...headers };
      if (this.authorization && target.origin === origin) h.Authorization = this.authorization;
      let res: Response;
      try {
        res = await fetch(target, {
          headers: h,
          redirect: 'manual',
          signal: timeout ? withTimeout(signal, this.opts.requestTimeoutMs) : signal,
        });
      } catch (e) {
        if (signal?.aborted) throw e;
        throw new RegistryUnreachableError(
          `cannot reach registry ${this.registry} (${target.origin}): ${errorText(e)}`,
          { cause: e },
        );
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location && hop < MAX_REDIRECTS) {
        await res.body?.cancel();
        target = new URL(location, target);
        continue;
      }
      return res;
    }
  }
}

function withTimeout(signal: AbortSignal | undefined, ms = 30_000): AbortSignal {
  const t = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, t]) : t;
}

/** No answer at all from a registry (no network, no DNS, refused): a pull can never work from here. */
export class RegistryUnreachableError extends RuntimeError {}

/** fetch hides the useful part (ECONNREFUSED, ENOTFOUND, a TLS error) in `cause`. */
export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  if (e.name === 'TimeoutError') return 'timed out';
  return e.message;
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
