// The state and run roots hold every container's records (environment included), rendered secrets and
// configs, logs, bundles and root filesystems: only root may enter them. Containers never need a path
// through them (runc, conmon and the supervisor run as root; secrets, configs, volumes and /etc files
// are bind-mounted in), so 0700 is enough and no 0711 is needed. An install made before is tightened
// by the next command that opens the runtime.
import { chmod, mkdir, stat } from 'node:fs/promises';
import { runRoot, stateRoot } from '../../util/paths.js';

export const PRIVATE_DIR_MODE = 0o700;

export async function securePrivateRoots(): Promise<void> {
  for (const dir of [stateRoot(), runRoot()]) {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    if (((await stat(dir)).mode & 0o077) !== 0) await chmod(dir, PRIVATE_DIR_MODE);
  }
}
