// `cmp commit` on the embedded runtime: the container's overlay upper dir as a new layer on its image, in
// cmp's store, with the config docker would give it (the container's own settings, then the `-c` changes).
import { lstat, readdir } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { applyChanges, type CommitConfig, type CommitRequest } from '../../build/commit.js';
import { RuntimeError } from '../../util/errors.js';
import type { ImageInfo } from '../types.js';
import type { ContainerMeta } from './containers/meta.js';
import { upperDir } from './containers/paths.js';
import { runcPause, runcResume } from './containers/runc.js';
import type { CommitInput } from './images/commit.js';

/** What committing needs from the image store (the real ImageStore has it; test fakes may not). */
export interface CommitStore {
  commit(imageId: string, input: Omit<CommitInput, 'base'>, ref?: string): Promise<ImageInfo>;
}

export function isCommitStore(x: object): x is CommitStore {
  return typeof (x as Partial<CommitStore>).commit === 'function';
}

export async function commitContainer(
  store: CommitStore,
  meta: ContainerMeta,
  running: boolean,
  req: CommitRequest,
  signal?: AbortSignal,
): Promise<ImageInfo> {
  if (meta.hostRootfs) {
    throw new RuntimeError(`container ${meta.name} runs on the host's files: it has no layer to commit`);
  }
  const skip = await mountPoints(meta);
  const pause = req.pause && running;
  if (pause) await runcPause(meta.id);
  try {
    return await store.commit(
      meta.imageId,
      {
        upper: upperDir(meta.id),
        skip: (name) => skip.has(name),
        configure: (image) => applyChanges(containerConfig(meta, image), req.changes),
        ...(req.author !== undefined ? { author: req.author } : {}),
        ...(req.message !== undefined ? { comment: req.message } : {}),
        ...(signal ? { signal } : {}),
      },
      req.ref,
    );
  } finally {
    if (pause) await runcResume(meta.id);
  }
}

/**
 * The container's settings over its image's, as Docker's container config holds them: what the service
 * overrode (command, entrypoint, working_dir, user, stop_signal), its environment, and its labels.
 */
function containerConfig(meta: ContainerMeta, image: CommitConfig): CommitConfig {
  const s = meta.service;
  const out: CommitConfig = { ...image };
  if (s?.entrypoint !== undefined) {
    out.Entrypoint = s.entrypoint;
    // A new entrypoint drops the image's command, as it does when the container is made.
    if (s.command === undefined) out.Cmd = null;
  }
  if (s?.command !== undefined) out.Cmd = s.command;
  if (s?.working_dir) out.WorkingDir = s.working_dir;
  if (s?.user) out.User = s.user;
  if (s?.stop_signal) out.StopSignal = s.stop_signal;
  // HOSTNAME is set for the process, not part of the container's configuration.
  const env = (meta.spec.process?.env ?? []).filter((e) => !e.startsWith('HOSTNAME='));
  if (env.length > 0) out.Env = env;
  if (Object.keys(meta.labels).length > 0) out.Labels = { ...image.Labels, ...meta.labels };
  return out;
}

/**
 * Upper-dir entries that only exist because runc mounted something there (an empty file or folder at a
 * mount's destination, and folders that hold nothing else): Docker keeps those in a layer of its own,
 * so they are not a container's change either.
 */
async function mountPoints(meta: ContainerMeta): Promise<Set<string>> {
  const upper = upperDir(meta.id);
  const out = new Set<string>();
  const isEmpty = async (rel: string): Promise<boolean> => {
    const st = await lstat(join(upper, rel)).catch(() => undefined);
    if (!st) return false;
    if (st.isFile()) return st.size === 0;
    if (!st.isDirectory()) return false;
    const names = await readdir(join(upper, rel));
    return names.every((n) => out.has(posix.join(rel, n)));
  };
  for (const m of meta.spec.mounts ?? []) {
    let rel = posix.normalize(m.destination).replace(/^\/+/, '').replace(/\/+$/, '');
    while (rel !== '' && rel !== '.' && !out.has(rel) && (await isEmpty(rel))) {
      out.add(rel);
      rel = dirname(rel) === '.' ? '' : dirname(rel);
    }
  }
  return out;
}
