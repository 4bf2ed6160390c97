// Capabilities, no_new_privs and seccomp from `privileged`, `cap_add`, `cap_drop` and `security_opt`.
import type { Service } from '../../../model/types.js';
import { RuntimeError } from '../../../util/errors.js';
import { DEFAULT_CAPS, allCaps } from './defaults.js';
import type { OciCapabilities, OciSeccomp } from './oci-types.js';
import { seccompFor } from './seccomp.js';

export interface Security {
  capabilities: OciCapabilities;
  noNewPrivileges: boolean;
  seccomp?: OciSeccomp;
  privileged: boolean;
}

function capName(c: string): string {
  const up = c.trim().toUpperCase();
  return up === 'ALL' || up.startsWith('CAP_') ? up : `CAP_${up}`;
}

export function securityFor(service: Service, uid: number, what: string): Security {
  const privileged = service.privileged === true;
  const known = allCaps();
  let caps = privileged ? known : [...DEFAULT_CAPS];
  const drops = (service.cap_drop ?? []).map(capName);
  const adds = (service.cap_add ?? []).map(capName);
  if (drops.includes('CAP_ALL')) caps = [];
  caps = caps.filter((c) => !drops.includes(c));
  for (const a of adds) {
    if (a === 'CAP_ALL') caps = [...known];
    else if (!known.includes(a)) throw new RuntimeError(`${what}: unknown capability in cap_add: ${a}`);
    else if (!caps.includes(a)) caps.push(a);
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
  };
}
