import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostRootfsTarget, resolveInside } from '../../../src/runtime/embedded/containers/copy.js';
import type { OciSpec } from '../../../src/runtime/embedded/containers/oci-types.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

describe('paths inside an embedded container', () => {
  it("follows the container's symlinks against the container's root, never the host's", async () => {
    const root = mkdtempSync(join(tmpdir(), 'cmp-root-'));
    roots.push(root);
    mkdirSync(join(root, 'srv', 'real'), { recursive: true });
    symlinkSync('/srv/real', join(root, 'app')); // absolute: means the container's /srv/real
    symlinkSync('../srv', join(root, 'rel'));
    expect(await resolveInside(root, '/app/file')).toBe(`${root}/srv/real/file`);
    expect(await resolveInside(root, '/rel/real/x/y')).toBe(`${root}/srv/real/x/y`);
    expect(await resolveInside(root, '/../../etc/passwd')).toBe(`${root}/etc/passwd`);
  });

  it('lets a host-rootfs container take files only in its writable dirs and volumes', () => {
    const spec = {
      mounts: [
        { destination: '/data', type: 'bind', source: '/var/lib/cmp/volumes/x', options: ['rbind'] },
        { destination: '/usr', type: 'bind', source: '/usr', options: ['rbind', 'ro'] },
      ],
    } as unknown as OciSpec;
    const meta = { name: 'p-app-1', spec };
    for (const ok of ['/tmp/app/x', '/var/tmp/y', '/run/z', '/data/file']) {
      expect(() => checkHostRootfsTarget(meta, ok)).not.toThrow();
    }
    for (const bad of ['/opt/app/x', '/usr/local/x', '/tmpfoo/x']) {
      expect(() => checkHostRootfsTarget(meta, bad)).toThrow(
        /host-rootfs container's root is the host's own, read-only/,
      );
    }
  });
});
