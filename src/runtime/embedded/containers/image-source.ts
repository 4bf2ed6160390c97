// What the container side needs from the image store. Declared here, narrowly, so the runtime can be
// tested with a fake source; the real ImageStore (images/store.ts) satisfies it.
import type { EventSink } from '../../../engine/events.js';
import { HOST_ROOTFS_IMAGE as HOST_ROOTFS_REF } from '../../../model/extensions.js';
import type { ImageInfo, PullPolicy } from '../../types.js';

export interface ImageSource {
  ensure(ref: string, policy: PullPolicy, sink?: EventSink, signal?: AbortSignal): Promise<ImageInfo>;
  inspect(ref: string): Promise<ImageInfo | undefined>;
  /** Unpacked layer directories of an image, lowest first. */
  layerDirs(imageId: string): Promise<string[]>;
}

/** The image of a service that runs on the host's root filesystem (`x-cmp: { host_rootfs: true }`). */
export const HOST_ROOTFS_IMAGE: ImageInfo = { ref: HOST_ROOTFS_REF, id: 'host-rootfs', config: {} };

export { isHostRootfs as isHostRootfsService } from '../../../model/extensions.js';
