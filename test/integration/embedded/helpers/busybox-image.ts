// An image-like busybox layer made on the spot from the host's busybox-static, and an ImageSource
// serving it: container tests need no registry and no image store.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageSource } from '../../../../src/runtime/embedded/runtime.js';
import type { ImageInfo } from '../../../../src/runtime/types.js';

export const BUSYBOX_REF = 'test.local/busybox:latest';

export function makeBusyboxLayer(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync('/usr/bin/busybox', join(bin, 'busybox'));
  // `busybox --install -s` links to the binary's absolute host path; relative links work inside the rootfs.
  const applets = execFileSync('/usr/bin/busybox', ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  for (const a of applets) if (a !== 'busybox') symlinkSync('busybox', join(bin, a));
  mkdirSync(join(dir, 'etc'), { recursive: true });
  writeFileSync(
    join(dir, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n',
  );
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\napp:x:1000:\nextra:x:2000:app\n');
  for (const d of ['root', 'home/app', 'tmp', 'srv/seed']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'srv/seed/from-image.txt'), 'seeded\n');
  return dir;
}

export function busyboxSource(layerDir: string): ImageSource {
  const info: ImageInfo = {
    ref: BUSYBOX_REF,
    id: 'sha256:test-busybox',
    config: { cmd: ['sh'], env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
  };
  return {
    ensure: async () => info,
    inspect: async (ref) => (ref === BUSYBOX_REF ? info : undefined),
    layerDirs: async () => [layerDir],
  };
}
