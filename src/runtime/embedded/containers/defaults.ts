// Docker's container defaults (moby daemon/pkg/oci/defaults.go and caps/defaults.go, as facts),
// written out for cmp's spec builder.
import { existsSync, readFileSync } from 'node:fs';

/** Docker's 14 default capabilities for a root process. */
export const DEFAULT_CAPS: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Every capability name the kernel knows, in number order (for `privileged` and `cap_add: ALL`). */
const ALL_CAP_NAMES = [
  'CHOWN',
  'DAC_OVERRIDE',
  'DAC_READ_SEARCH',
  'FOWNER',
  'FSETID',
  'KILL',
  'SETGID',
  'SETUID',
  'SETPCAP',
  'LINUX_IMMUTABLE',
  'NET_BIND_SERVICE',
  'NET_BROADCAST',
  'NET_ADMIN',
  'NET_RAW',
  'IPC_LOCK',
  'IPC_OWNER',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_CHROOT',
  'SYS_PTRACE',
  'SYS_PACCT',
  'SYS_ADMIN',
  'SYS_BOOT',
  'SYS_NICE',
  'SYS_RESOURCE',
  'SYS_TIME',
  'SYS_TTY_CONFIG',
  'MKNOD',
  'LEASE',
  'AUDIT_WRITE',
  'AUDIT_CONTROL',
  'SETFCAP',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'SYSLOG',
  'WAKE_ALARM',
  'BLOCK_SUSPEND',
  'AUDIT_READ',
  'PERFMON',
  'BPF',
  'CHECKPOINT_RESTORE',
];

export function allCaps(): string[] {
  let last = ALL_CAP_NAMES.length - 1;
  try {
    last = Math.min(last, Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim()));
  } catch {
    // Not Linux procfs: keep the full list.
  }
  return ALL_CAP_NAMES.slice(0, last + 1).map((n) => `CAP_${n}`);
}

/**
 * The capabilities cmp can hand on: the known ones that are in this process's bounding set. Run inside
 * a container, cmp may lack some (CAP_SYS_RESOURCE, say), and runc cannot grant what its caller lacks
 * ("unable to apply caps"): `privileged` and `cap_add: ALL` get these, as containerd's "all current
 * capabilities" does.
 */
export function grantableCaps(): string[] {
  let bounding: bigint | undefined;
  try {
    const hex = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (hex) bounding = BigInt(`0x${hex}`);
  } catch {
    // Not Linux procfs: assume all.
  }
  return allCaps().filter((_, bit) => bounding === undefined || ((bounding >> BigInt(bit)) & 1n) === 1n);
}

/** Paths hidden from the container (directory: empty read-only tmpfs; file: /dev/null). */
const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/interrupts',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/sys/devices/virtual/powercap',
  '/sys/firmware',
];

const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

// The container's /proc and /sys mirror the host kernel's, so a path missing here is missing there:
// runc would fail on a missing read-only path, so drop those (a masked path that is absent needs no mask).
export function maskedPaths(): string[] {
  return MASKED_PATHS.filter((p) => existsSync(p));
}

export function readonlyPaths(): string[] {
  return READONLY_PATHS.filter((p) => existsSync(p));
}

/**
 * /dev subdirectories a privileged container does not get the host's nodes of (the list Docker's
 * host-device walk skips): its own devpts, shm and mqueue are mounted there, fd is /proc/self/fd,
 * and the rest are LXD/udev private dirs.
 */
export const HOST_DEVICE_SKIP_DIRS: readonly string[] = [
  'pts',
  'shm',
  'fd',
  'mqueue',
  '.lxc',
  '.lxd-mounts',
  '.udev',
];

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const DEFAULT_SHM_BYTES = 64 * 1024 * 1024;
/** Where `init: true` puts tini: /dev is a private tmpfs, so this works with read_only and host-rootfs too. */
export const INIT_PATH = '/dev/init';
export const INIT_BINARY = '/usr/bin/tini-static';
