// The write side of the distribution API, with the same credentials and token flow as pulls (auth.ts)
// but asking for `pull,push` scope. registry.ts stays a read-only client; this one only uploads.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { RuntimeError } from '../../../util/errors.js';
import { basicHeader, credentialsFor, parseChallenge, type Challenge, type Credentials } from './auth.js';
import { errorText } from './registry.js';
import { registryHost, registryScheme } from '../../image-reference.js';

interface Req {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  /** A file to stream as the body (re-opened on a retry), or bytes. */
  body?: { file: string; size: number } | Buffer;
}

export class PushClient {
  private readonly base: string;
  private readonly creds: Credentials | undefined;
  private authorization: string | undefined;

  constructor(
    readonly registry: string,
    readonly repository: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.base = `${registryScheme(registry, env)}://${registryHost(registry)}`;
    this.creds = credentialsFor(registry, env);
  }

  async hasBlob(digest: string): Promise<boolean> {
    const res = await this.call({ method: 'HEAD', url: this.url(`/blobs/${digest}`) });
    await res.body?.cancel();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw this.statusError(res, `blob ${digest}`);
  }

  /** Monolithic upload: POST opens a session, one PUT carries the whole blob and closes it. */
  async uploadBlob(digest: string, body: { file: string; size: number } | Buffer): Promise<void> {
    const start = await this.call({ method: 'POST', url: this.url('/blobs/uploads/') });
    await start.body?.cancel();
    if (start.status !== 202) throw this.statusError(start, 'starting a blob upload');
    const location = start.headers.get('location');
    if (!location) throw new RuntimeError(`registry ${this.registry} gave no upload location`);
    const target = new URL(location, this.base);
    target.searchParams.set('digest', digest);
    const size = Buffer.isBuffer(body) ? body.length : body.size;
    const put = await this.call({
      method: 'PUT',
      url: target.toString(),
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
      body,
    });
    await put.body?.cancel();
    if (put.status !== 201) throw this.statusError(put, `uploading blob ${digest}`);
  }

  /** Returns the digest the registry computed for the manifest. */
  async putManifest(reference: string, mediaType: string, bytes: Buffer): Promise<string | undefined> {
    const res = await this.call({
      method: 'PUT',
      url: this.url(`/manifests/${reference}`),
      headers: { 'Content-Type': mediaType },
      body: bytes,
    });
    await res.body?.cancel();
    if (res.status !== 201) throw this.statusError(res, `manifest ${reference}`);
    return res.headers.get('docker-content-digest') ?? undefined;
  }

  private url(path: string): string {
    return `${this.base}/v2/${this.repository}${path}`;
  }

  private async call(req: Req): Promise<Response> {
    let res = await this.send(req);
    if (res.status === 401) {
      await res.body?.cancel();
      await this.authorize(parseChallenge(res.headers.get('www-authenticate')));
      res = await this.send(req);
    }
    return res;
  }

  private async send(req: Req): Promise<Response> {
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (this.authorization) headers.Authorization = this.authorization;
    let body: Buffer | ReadableStream<Uint8Array> | undefined;
    if (Buffer.isBuffer(req.body)) body = req.body;
    else if (req.body) body = Readable.toWeb(createReadStream(req.body.file)) as ReadableStream<Uint8Array>;
    try {
      return await fetch(req.url, {
        method: req.method,
        headers,
        ...(body === undefined ? {} : { body }),
        // Node's fetch needs this to stream a request body.
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
        signal: AbortSignal.timeout(300_000),
      } as RequestInit);
    } catch (e) {
      throw new RuntimeError(`cannot reach registry ${this.registry}: ${errorText(e)}`, { cause: e });
    }
  }

  private async authorize(challenge: Challenge | undefined): Promise<void> {
    if (!challenge) return;
    if (challenge.scheme === 'basic') {
      if (!this.creds) throw this.denied('the registry wants credentials');
      this.authorization = basicHeader(this.creds);
      return;
    }
    const realm = challenge.params.realm;
    if (!realm) throw new RuntimeError(`registry ${this.registry} sent a bearer challenge without a realm`);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', `repository:${this.repository}:pull,push`);
    const headers: Record<string, string> = {};
    if (this.creds) headers.Authorization = basicHeader(this.creds);
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      throw new RuntimeError(`cannot reach the token service of registry ${this.registry}: ${errorText(e)}`, {
        cause: e,
      });
    }
    if (!res.ok) throw this.denied(`the token service answered HTTP ${res.status}`);
    const doc = (await res.json()) as { token?: string; access_token?: string };
    const token = doc.token ?? doc.access_token;
    if (!token) throw new RuntimeError(`token service of registry ${this.registry} returned no token`);
    this.authorization = `Bearer ${token}`;
  }

  private denied(why: string): RuntimeError {
    return new RuntimeError(`push access denied for ${this.registry}/${this.repository}: ${why}`, {
      hint: this.creds
        ? `the credentials for ${this.registry} in the docker config were refused`
        : `add credentials for ${this.registry} to $DOCKER_CONFIG/config.json or ~/.docker/config.json`,
    });
  }

  private statusError(res: Response, what: string): RuntimeError {
    if (res.status === 401 || res.status === 403) return this.denied(`${what}: HTTP ${res.status}`);
    return new RuntimeError(`registry ${this.registry} answered HTTP ${res.status} for ${what}`);
  }
}
