// The embedded runtime's image store: what the container executor and the CLI use. Layout and the
// reasons behind it: docs/images.md.
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventSink } from '../../../engine/events.js';
import { RuntimeError, UsageError } from '../../../util/errors.js';
import { stateRoot } from '../../../util/paths.js';
import type { ImageInfo, PullPolicy } from '../../types.js';
import { digestHex } from './digest.js';
import { StoreLayout, type ImageRecord } from './layout.js';
// Pull, load, save, push and prune are imported when used: they bring in tar-stream and more, which the
// supervisor and most commands never need.
import type { PullOptions } from './pull.js';
import type { PruneInput, PruneResult } from './prune.js';
import type { PushResult } from './push.js';
import type { ExportedForBuild } from './exchange.js';
import type { CommitInput } from './commit.js';
import { familiarName, formatReference, parseReference } from '../../image-reference.js';

const ID_PREFIX_RE = /^(?:sha256:)?([a-f0-9]{4,64})$/;

const OFFLINE_HINT =
  'to get it offline: `docker save IMAGE | cmp image load` or `cmp image load -i FILE.tar`; ' +
  'push it to a registry you can reach; or run the service on the host’s files with `x-cmp: {host_rootfs: true}`';

export class ImageStore {
  private readonly layout: StoreLayout;

  constructor(
    root: string = join(stateRoot(), 'images'),
    private readonly pullOptions: Omit<PullOptions, 'sink' | 'signal'> = {},
  ) {
    this.layout = new StoreLayout(root);
  }

  get root(): string {
    return this.layout.root;
  }

  async ensure(ref: string, policy: PullPolicy, sink?: EventSink, signal?: AbortSignal): Promise<ImageInfo> {
    // `image:` may be an image id (`sha256:…`, or a short one): that names a local image, never one to pull.
    if (ID_PREFIX_RE.test(ref.trim())) {
      const local = await this.resolve(ref);
      if (local) return info(local.via === 'id' ? ref.trim() : local.ref, local.record);
      if (ref.trim().startsWith('sha256:')) {
        throw new RuntimeError(`no such image: ${ref}`, {
          hint: 'an image id names a local image: load it first',
        });
      }
    }
    const parsed = parseReference(ref);
    const canonical = formatReference(parsed);
    if (policy !== 'always') {
      const local = await this.inspect(canonical);
      if (local) return local;
      if (policy === 'never')
        throw new RuntimeError(`image ${ref} not found locally and pull_policy is never`);
      if (policy === 'build') {
        throw new RuntimeError(`image ${ref} not found locally and pull_policy is build`, {
          hint: 'build the image first',
        });
      }
    }
    const [{ pullImage }, { RegistryUnreachableError }] = await Promise.all([
      import('./pull.js'),
      import('./registry.js'),
    ]);
    let record;
    try {
      record = await pullImage(this.layout, parsed, {
        ...this.pullOptions,
        ...(sink ? { sink } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      if (!(e instanceof RegistryUnreachableError)) throw e;
      // Offline: say which image, and the ways to get it without that registry.
      throw new RuntimeError(`cannot pull image ${ref}: ${e.message}`, { cause: e, hint: OFFLINE_HINT });
    }
    await this.layout.putRef(canonical, record.id);
    return info(canonical, record);
  }

  /** By reference (`redis`, `host:5000/x:tag`, `x@sha256:…`) or by image id or id prefix. */
  async inspect(ref: string): Promise<ImageInfo | undefined> {
    const found = await this.resolve(ref);
    return found ? info(found.ref, found.record) : undefined;
  }

  /** Absolute layer directories, lowest first, ready to be overlay lowerdirs. */
  async layerDirs(imageId: string): Promise<string[]> {
    const found = await this.resolve(imageId);
    if (!found) throw new RuntimeError(`no such image: ${imageId}`);
    const dirs: string[] = [];
    for (const diffId of found.record.layers) {
      const dir = this.layout.layerRoot(diffId);
      try {
        await stat(dir);
      } catch {
        throw new RuntimeError(`image ${imageId} is missing layer ${diffId} in the store`, {
          hint: 'remove the image and pull or load it again',
        });
      }
      dirs.push(dir);
    }
    return dirs;
  }

  /** One entry per tag; images with no tag appear once, under their digest reference or an empty ref. */
  async list(): Promise<ImageInfo[]> {
    const images = new Map((await this.layout.images()).map((r) => [r.id, r]));
    const out: ImageInfo[] = [];
    const tagged = new Set<string>();
    const digestRef = new Map<string, string>();
    for (const r of (await this.layout.refs()).sort((a, b) => a.ref.localeCompare(b.ref))) {
      const rec = images.get(r.id);
      if (!rec) continue;
      if (parseReference(r.ref).tag) {
        out.push(info(r.ref, rec));
        tagged.add(r.id);
      } else if (!digestRef.has(r.id)) digestRef.set(r.id, r.ref);
    }
    for (const rec of images.values()) {
      if (!tagged.has(rec.id)) out.push(info(digestRef.get(rec.id) ?? '', rec));
    }
    return out;
  }

  async load(tarPath: string, signal?: AbortSignal): Promise<ImageInfo[]> {
    const loaded = await (await import('./load.js')).loadArchive(this.layout, tarPath, signal);
    const out: ImageInfo[] = [];
    for (const { record, refs } of loaded) {
      for (const ref of refs) {
        await this.layout.putRef(ref, record.id);
        out.push(info(ref, record));
      }
      if (refs.length === 0) out.push(info('', record));
    }
    return out;
  }

  /**
   * Removes a reference, or every reference to an image when given an id. An image left with no
   * reference is deleted, with the layers no remaining image uses. Containers still using those
   * layers are not checked for: the container layer refuses removal of images it runs.
   */
  async remove(ref: string): Promise<void> {
    const found = await this.resolve(ref);
    if (!found) throw new RuntimeError(`no such image: ${ref}`);
    for (const r of await this.layout.refs()) {
      const match = found.via === 'id' ? r.id === found.record.id : r.ref === found.ref;
      if (match) await rm(this.layout.refPath(r.ref), { force: true });
    }
    const remaining = await this.layout.refs();
    if (remaining.some((r) => r.id === found.record.id)) return;
    await this.deleteImage(found.record);
  }

  /** Writes a stored image as an OCI layout folder with plain-tar layers, for the builder (exchange.ts). */
  async exportForBuild(ref: string, dir: string, signal?: AbortSignal): Promise<ExportedForBuild> {
    const found = await this.resolve(ref);
    if (!found) throw new RuntimeError(`no such image: ${ref}`);
    return (await import('./exchange.js')).exportOciDir(this.layout, found.record, dir, signal);
  }

  /** Stores the image the builder wrote to a `dir:` folder, under `refs`. */
  async importBuilt(
    dir: string,
    layerMap: Readonly<Record<string, string>>,
    refs: string[],
    signal?: AbortSignal,
  ): Promise<ImageInfo> {
    const record = await (await import('./exchange.js')).importImageDir(this.layout, dir, layerMap, signal);
    const canonical = refs.map((r) => formatReference(parseReference(r)));
    for (const r of canonical) await this.layout.putRef(r, record.id);
    return info(canonical[0] ?? '', record);
  }

  /** A new image from a container's upper dir on top of the image `imageId` (commit.ts), named `ref` if given. */
  async commit(imageId: string, input: Omit<CommitInput, 'base'>, ref?: string): Promise<ImageInfo> {
    const found = await this.resolve(imageId);
    if (!found) throw new RuntimeError(`no such image: ${imageId}`);
    const record = await (
      await import('./commit.js')
    ).commitLayer(this.layout, { ...input, base: found.record });
    if (ref === undefined) return info('', record);
    const canonical = formatReference(parseReference(ref));
    await this.layout.putRef(canonical, record.id);
    return info(canonical, record);
  }

  /** Adds reference `target` to the image `source` names (by reference or id). */
  async tag(source: string, target: string): Promise<ImageInfo> {
    const found = await this.resolve(source);
    if (!found) throw new RuntimeError(`no such image: ${source}`);
    const canonical = formatReference(parseReference(target));
    await this.layout.putRef(canonical, found.record.id);
    return info(canonical, found.record);
  }

  /** The stored record behind a reference or id, with every reference to it (for inspect). */
  async details(ref: string): Promise<{ record: ImageRecord; refs: string[] } | undefined> {
    const found = await this.resolve(ref);
    if (!found) return undefined;
    const refs = (await this.layout.refs()).filter((r) => r.id === found.record.id).map((r) => r.ref);
    return { record: found.record, refs: refs.sort() };
  }

  async prune(input: PruneInput): Promise<PruneResult> {
    return (await import('./prune.js')).pruneStore(this.layout, input);
  }

  async save(refs: string[], outFile: string, signal?: AbortSignal): Promise<void> {
    const items = [];
    for (const ref of refs) {
      const found = await this.details(ref);
      if (!found) throw new RuntimeError(`no such image: ${ref}`);
      const named = this.namedBy(ref);
      items.push({ record: found.record, refs: named ? [named] : found.refs });
    }
    await (await import('./save.js')).saveArchive(this.layout, items, outFile, signal);
  }

  async push(ref: string, onLine?: (line: string) => void, signal?: AbortSignal): Promise<PushResult> {
    const found = await this.resolve(ref);
    if (!found)
      throw new RuntimeError(`no such image: ${ref}`, { hint: 'tag it first: cmp image tag SRC DST' });
    const target = parseReference(ref);
    const result = await (
      await import('./push.js')
    ).pushImage(this.layout, found.record, target, {
      ...(this.pullOptions.env ? { env: this.pullOptions.env } : {}),
      ...(signal ? { signal } : {}),
      ...(onLine ? { onLine } : {}),
    });
    // The registry now holds it under this digest: `image inspect` lists it in RepoDigests, as docker's does.
    const repo = familiarName(`${target.registry}/${target.repository}`);
    await this.layout.putImage({
      ...found.record,
      pushed: { ...found.record.pushed, [repo]: result.digest },
    });
    return result;
  }

  /** The canonical tag a user's argument names, when it names one rather than an id. */
  private namedBy(ref: string): string | undefined {
    if (ID_PREFIX_RE.test(ref.trim())) return undefined;
    try {
      const parsed = parseReference(ref);
      return parsed.tag && !parsed.digest ? formatReference(parsed) : undefined;
    } catch {
      return undefined;
    }
  }

  private async deleteImage(rec: ImageRecord): Promise<void> {
    await rm(this.layout.imagePath(rec.id), { force: true });
    for (const d of [rec.id, rec.repoDigest, rec.manifestDigest]) {
      if (d) await rm(this.layout.blobPath(d), { force: true });
    }
    const inUse = new Set((await this.layout.images()).flatMap((r) => r.layers));
    for (const diffId of new Set(rec.layers)) {
      if (inUse.has(diffId)) continue;
      // Move first, so a half-deleted layer never looks like a complete one.
      const doomed = join(await this.layout.tmpDir('rm'), 'layer');
      try {
        await rename(this.layout.layerDir(diffId), doomed);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      await rm(join(doomed, '..'), { recursive: true, force: true });
    }
  }

  private async resolve(
    ref: string,
  ): Promise<{ ref: string; record: ImageRecord; via: 'ref' | 'id' } | undefined> {
    const trimmed = ref.trim();
    let canonical: string | undefined;
    try {
      canonical = formatReference(parseReference(trimmed));
    } catch (e) {
      if (!(e instanceof UsageError) || !ID_PREFIX_RE.test(trimmed)) throw e;
    }
    if (canonical) {
      const r = await this.layout.ref(canonical);
      const rec = r && (await this.layout.image(r.id));
      if (r && rec) return { ref: r.ref, record: rec, via: 'ref' };
    }
    const m = ID_PREFIX_RE.exec(trimmed);
    if (!m?.[1]) return undefined;
    const prefix = m[1];
    const matches = (await this.layout.images()).filter((r) => digestHex(r.id).startsWith(prefix));
    if (matches.length > 1) throw new RuntimeError(`image id prefix ${trimmed} is ambiguous`);
    const rec = matches[0];
    if (!rec) return undefined;
    const refs = (await this.layout.refs())
      .filter((r) => r.id === rec.id)
      .map((r) => r.ref)
      .sort();
    return { ref: refs.find((r) => parseReference(r).tag) ?? refs[0] ?? '', record: rec, via: 'id' };
  }
}

function info(ref: string, rec: ImageRecord): ImageInfo {
  return {
    ref,
    id: rec.id,
    ...(rec.repoDigest ? { digest: rec.repoDigest } : {}),
    size: rec.size,
    config: rec.config,
  };
}
