// Removing an image as `docker image rm` does: one reference, or every reference when given an id; refused
// while a container uses the image (its last reference, or the image by id) unless forced.
import { RuntimeError } from '../../../util/errors.js';
import type { ImageRecord } from './layout.js';

export interface RemovableStore {
  details(ref: string): Promise<{ record: ImageRecord; refs: string[] } | undefined>;
  remove(ref: string): Promise<void>;
}

export function isRemovableStore(x: object): x is RemovableStore {
  const s = x as Partial<RemovableStore>;
  return typeof s.details === 'function' && typeof s.remove === 'function';
}

/** What removal needs to know of a container. */
export interface ImageUser {
  name: string;
  imageId?: string;
}

/** Removes `ref`; false when there is no such image. */
export async function removeStoredImage(
  store: RemovableStore,
  ref: string,
  users: readonly ImageUser[],
  force: boolean,
): Promise<boolean> {
  const found = await store.details(ref);
  if (!found) return false;
  const user = users.find((c) => c.imageId === found.record.id);
  const lastRef = found.refs.length <= 1 || found.refs.every((r) => r === found.refs[0]);
  const byId = /^(?:sha256:)?[a-f0-9]{4,64}$/.test(ref.trim()) && found.record.id.includes(ref.trim());
  if (user && (lastRef || byId) && !force) {
    throw new RuntimeError(`conflict: unable to remove image ${ref}: it is used by container ${user.name}`, {
      hint: 'remove the container first (cmp down / cmp rm), or use -f',
    });
  }
  await store.remove(ref);
  return true;
}
