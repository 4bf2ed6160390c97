// Turns cmp's seccomp deny groups into the OCI form for one container's capability set.
import { seccompDenyGroups } from '../seccomp-profile.js';
import type { OciSeccomp, OciSeccompRule } from './oci-types.js';

const EPERM = 1;

function architectures(): string[] {
  // Listing the compat ABIs makes libseccomp resolve each name for them too, so a 32-bit syscall
  // cannot slip past a rule written for the 64-bit number; other ABIs are refused outright.
  switch (process.arch) {
    case 'x64':
      return ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'];
    case 'arm64':
      return ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'];
    default:
      return [];
  }
}

export function seccompFor(caps: readonly string[]): OciSeccomp {
  const syscalls: OciSeccompRule[] = [];
  for (const g of seccompDenyGroups) {
    if (g.unlessCaps?.some((c) => caps.includes(c))) continue;
    const errnoRet = g.errno ?? EPERM;
    if (g.flagArg) {
      const { index, bits } = g.flagArg;
      for (const bit of bits) {
        syscalls.push({
          names: g.syscalls,
          action: 'SCMP_ACT_ERRNO',
          errnoRet,
          args: [{ index, value: bit, valueTwo: bit, op: 'SCMP_CMP_MASKED_EQ' }],
        });
      }
    } else {
      syscalls.push({ names: g.syscalls, action: 'SCMP_ACT_ERRNO', errnoRet });
    }
  }
  return { defaultAction: 'SCMP_ACT_ALLOW', architectures: architectures(), syscalls };
}
