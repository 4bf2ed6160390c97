// The build cache: buildah's store under <state>/build (its `--layers` images, the base images handed to
// it, RUN --mount=type=cache folders) and cmp's records about it. `cmp builder prune` and `cmp image
// prune` clear it; what each keeps is in docs/build.md.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Buildah } from '../../build/buildah.js';
import { findExecutable } from '../../util/which.js';
import type { ImageInfo } from '../types.js';
import { buildRoot } from './build.js';
import { diskUsage } from './images/usage.js';

export interface BuildCachePruneResult {
  /** buildah image ids removed. */
  deleted: string[];
  reclaimed: number;
}

/** Kept results are named so buildah's own "dangling" (untagged, no children) never takes them. */
const KEEP = 'localhost/cmp-built';
const BASE = 'localhost/cmp-base';
/** Bounds the prune passes: each pass removes the leaves the previous one left (one per step of a chain). */
const MAX_PASSES = 200;

/**
 * Without `all`: the cache of builds whose image cmp's store no longer has, the base images of images it no
 * longer has, buildah's dangling images (intermediate steps no kept result descends from), scratch and
 * cache-mount folders. With `all`: everything under <state>/build.
 */
export async function pruneBuildCache(
  store: { inspect(ref: string): Promise<ImageInfo | undefined> },
  all: boolean,
): Promise<BuildCachePruneResult> {
  const root = buildRoot();
  const before = await diskUsage(root);
  if (before === 0) return { deleted: [], reclaimed: 0 };
  const buildah = findExecutable('buildah') ? new Buildah(root) : undefined;
  const deleted: string[] = [];
  if (all) {
    if (buildah) {
      deleted.push(...lines(await buildah.cmd(['images', '-a', '-q', '--no-trunc']).catch(() => '')));
      await buildah.unmountAll();
    }
    for (const name of await list(root)) await rm(join(root, name), { recursive: true, force: true });
    return { deleted: deleted.map(shortId), reclaimed: Math.max(0, before - (await diskUsage(root))) };
  }
  // Without buildah nothing can tell which of its images are still needed: only `all` clears them then.
  if (!buildah) return { deleted: [], reclaimed: 0 };
  try {
    for (const iid of await list(join(root, 'imported'))) {
      const record = join(root, 'imported', iid);
      const id = (await readFile(record, 'utf8').catch(() => '')).trim();
      if (id && (await store.inspect(id))) {
        const kept = await buildah.cmd(['tag', iid, `${KEEP}:${iid}`]).then(
          () => true,
          () => false,
        );
        if (kept) continue;
      } else {
        for (const ref of [`${KEEP}:${iid}`, iid]) {
          deleted.push(...lines(await buildah.cmd(['rmi', '-f', ref]).catch(() => '')));
        }
      }
      await rm(record, { force: true });
    }
    for (const file of await list(join(root, 'bases'))) {
      const hex = file.replace(/\.json$/, '');
      if (await store.inspect(`sha256:${hex}`)) continue;
      deleted.push(...lines(await buildah.cmd(['rmi', '-f', `${BASE}:${hex}`]).catch(() => '')));
      await rm(join(root, 'bases', file), { force: true });
    }
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const removed = lines(await buildah.cmd(['rmi', '--prune']).catch(() => ''));
      if (removed.length === 0) break;
      deleted.push(...removed);
    }
  } finally {
    await buildah.unmountAll();
  }
  for (const dir of ['work', 'tmp']) {
    for (const name of await list(join(root, dir)))
      await rm(join(root, dir, name), { recursive: true, force: true });
  }
  return {
    deleted: [...new Set(deleted.map(shortId))],
    reclaimed: Math.max(0, before - (await diskUsage(root))),
  };
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(sha256:)?[0-9a-f]{12,64}$/.test(l));
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '');
}

async function list(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => [] as string[]);
}
