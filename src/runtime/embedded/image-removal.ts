// Removing an image from the embedded store the way docker does: a container record still using it keeps
// it (unless forced) when the reference is its last one or an id names it. `cmp image rm`, `down --rmi`
// and watch's removal of a replaced image share this rule.
import { RuntimeError } from '../../util/errors.js';
import type { ImageInfo } from '../types.js';
import { listMeta } from './containers/meta.js';
import type { ImageStore } from './images/store.js';

export type RemovableStore = Pick<ImageStore, 'details' | 'inspect' | 'remove'>;

export function isRemovableStore(x: object): x is RemovableStore {
  const s = x as Partial<RemovableStore>;
  return typeof s.details === 'function' && typeof s.remove === 'function';
}

/** Removes `ref`; returns what it named (for `Untagged:`/`Deleted:` lines). */
export async function removeImageUnlessUsed(
  store: RemovableStore,
  ref: string,
  force: boolean,
): Promise<ImageInfo | undefined> {
  const found = await store.details(ref);
  if (!found) throw new RuntimeError(`no such image: ${ref}`);
  const user = (await listMeta()).find((c) => c.imageId === found.record.id);
  const lastRef = found.refs.length <= 1 || found.refs.every((r) => r === found.refs[0]);
  const byId = /^(?:sha256:)?[a-f0-9]{4,64}$/.test(ref.trim()) && found.record.id.includes(ref.trim());
  if (user && (lastRef || byId) && !force) {
    throw new RuntimeError(`conflict: unable to remove image ${ref}: it is used by container ${user.name}`, {
      hint: 'remove the container first (cmp down / cmp rm), or use -f',
    });
  }
  const shown = await store.inspect(ref);
  await store.remove(ref);
  return shown;
}
