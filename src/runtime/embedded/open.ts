// Builds the embedded runtime from its three parts: the image store, the Linux network layer and the
// container executor. The supervisor hooks (prepare/release) are added by supervised.ts.
import { ImageStore } from './images/store.js';
import { LinuxNetworks } from './net/manager.js';
import { securePrivateRoots } from './private-roots.js';
import { SupervisedRuntime } from './supervised.js';

export async function openEmbeddedRuntime(): Promise<SupervisedRuntime> {
  await securePrivateRoots();
  return new SupervisedRuntime(new ImageStore(), new LinuxNetworks());
}
