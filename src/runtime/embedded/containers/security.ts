// Capabilities, no_new_privs, seccomp and host devices from `privileged`, `cap_add`, `cap_drop` and
// `security_opt`.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Service } from '../../../model/types.js';
import { RuntimeError } from '../../../util/errors.js';
import { DEFAULT_CAPS, HOST_DEVICE_SKIP_DIRS, allCaps, grantableCaps } from './defaults.js';
import type { OciCapabilities, OciDevice, OciSeccomp } from './oci-types.js';
import { seccompFor } from './seccomp.js';

export interface Security {
  capabilities: OciCapabilities;
  noNewPrivileges: boolean;
  seccomp?: OciSeccomp;
  privileged: boolean;
  /** Device nodes runc makes in the container's /dev: the host's, for `privileged`, as Docker does. */
  devices: OciDevice[];
}

/**
 * The host's device nodes under `root`, as Docker lists them for a privileged container: every char and
 * block device, recursing into subdirectories (/dev/net/tun, /dev/mapper/...) except the ones the
 * container gets its own instance of (pts, shm, mqueue) or that are not devices (fd), and without
 * /dev/console, which runc binds to the container's terminal when it has one. Symlinks are skipped.
 */
export function hostDevices(root = '/dev', prefix = '/dev'): OciDevice[] {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: OciDevice[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(prefix, e.name);
    if (e.isDirectory()) {
      if (!HOST_DEVICE_SKIP_DIRS.includes(e.name)) out.push(...hostDevices(join(root, e.name), path));
      continue;
    }
    if (e.name === 'console' || !(e.isCharacterDevice() || e.isBlockDevice())) continue;
    let st;
    try {
      st = lstatSync(join(root, e.name), { bigint: true });
    } catch {
      continue; // gone since the listing (hot-unplug)
    }
    // Linux's dev_t: 12 bits of major and 20 of minor, split across the word (glibc's major()/minor()).
    const rdev = st.rdev;
    const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
    const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
    out.push({
      path,
      type: st.isBlockDevice() ? 'b' : 'c',
      major: Number(major),
      minor: Number(minor),
      fileMode: Number(st.mode & 0o7777n),
      uid: Number(st.uid),
      gid: Number(st.gid),
    });
  }
  return out;
}

/** `ALL` in any case is every capability; `x`, `X` and `CAP_X` all name CAP_X (Docker's reading). */
const ALL = 'ALL';
function capName(c: string): string {
  const up = c.trim().toUpperCase();
  return up === ALL || up.startsWith('CAP_') ? up : `CAP_${up}`;
}

export function securityFor(service: Service, uid: number, what: string): Security {
  const privileged = service.privileged === true;
  const known = allCaps();
  const grantable = grantableCaps();
  let caps = privileged ? grantable : [...DEFAULT_CAPS];
  const drops = (service.cap_drop ?? []).map(capName);
  const adds = (service.cap_add ?? []).map(capName);
  for (const d of drops) {
    if (d !== ALL && !known.includes(d))
      throw new RuntimeError(`${what}: unknown capability in cap_drop: ${d}`);
  }
  // Docker's order: `cap_add: [ALL]` is every capability but the dropped ones, `cap_drop: [ALL]` keeps only
  // the added ones, otherwise the defaults lose the drops and gain the adds.
  if (adds.includes(ALL)) caps = grantable.filter((c) => !drops.includes(c));
  else if (drops.includes(ALL)) caps = [];
  else caps = caps.filter((c) => !drops.includes(c));
  for (const a of adds) {
    if (a === ALL) continue;
    if (!known.includes(a)) throw new RuntimeError(`${what}: unknown capability in cap_add: ${a}`);
    if (!grantable.includes(a)) {
      throw new RuntimeError(`${what}: cap_add: ${a}: cmp itself does not hold it, so cannot grant it`, {
        hint: 'cmp runs without it (in a container?); drop it from cap_add',
      });
    }
    if (!adds.includes(ALL) && !caps.includes(a)) caps.push(a);
  }
  let nnp = false;
  let seccomp = !privileged;
  for (const opt of service.security_opt ?? []) {
    const [k = '', v = ''] = opt.split(/[=:]/, 2);
    if (k === 'no-new-privileges') nnp = v === '' || v === 'true';
    else if (k === 'seccomp' && v === 'unconfined') seccomp = false;
  }
  // Docker keeps the bounding set for a non-root user but gives it no effective or permitted capabilities.
  const granted = uid === 0 ? caps : [];
  return {
    capabilities: { bounding: caps, effective: granted, permitted: granted, inheritable: [], ambient: [] },
    noNewPrivileges: nnp,
    ...(seccomp ? { seccomp: seccompFor(caps) } : {}),
    privileged,
    devices: privileged ? hostDevices() : [],
  };
}
