// cmp's default seccomp profile, as data. It is a deny list on top of an allow-by-default filter:
// every syscall runs unless it appears in a group below, and a group stops applying when the container
// holds the capability that makes the syscall legitimate (Docker relaxes its profile the same way).
// Why a deny list: each start compiles the filter (libseccomp), so a short rule set keeps start cost
// low; the trade-off is that syscalls added to future kernels are allowed until listed here.
// docs/runtime.md explains each group.

export interface SeccompDenyGroup {
  /** Why these calls are refused; kept here so the profile documents itself. */
  why: string;
  syscalls: string[];
  /** The group is lifted when the container has any of these capabilities. */
  unlessCaps?: string[];
  /** Refuse only when the syscall's argument matches one of these flag bits (one rule per bit). */
  flagArg?: { index: number; bits: number[] };
  /** errno returned; EPERM (1) unless a caller needs a different answer to fall back. */
  errno?: number;
}

const CLONE_NEWNS = 0x00020000;
const CLONE_NEWCGROUP = 0x02000000;
const CLONE_NEWUTS = 0x04000000;
const CLONE_NEWIPC = 0x08000000;
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWPID = 0x20000000;
const CLONE_NEWNET = 0x40000000;

export const seccompDenyGroups: readonly SeccompDenyGroup[] = [
  {
    why: 'kernel keyrings are not namespaced: keys would leak between containers and the host',
    syscalls: ['add_key', 'keyctl', 'request_key'],
  },
  {
    why: 'obsolete or 32-bit-only interfaces with a history of bugs and no use in containers',
    syscalls: ['uselib', 'ustat', 'sysfs', '_sysctl', 'vm86', 'vm86old', 'nfsservctl', 'lookup_dcookie'],
  },
  {
    why: 'io_uring runs operations outside this filter, so allowing it would bypass every rule here',
    syscalls: ['io_uring_setup', 'io_uring_enter', 'io_uring_register'],
  },
  {
    why: 'loading kernel code',
    syscalls: [
      'init_module',
      'finit_module',
      'delete_module',
      'create_module',
      'query_module',
      'get_kernel_syms',
    ],
    unlessCaps: ['CAP_SYS_MODULE'],
  },
  {
    why: 'replacing or rebooting the running kernel',
    syscalls: ['kexec_load', 'kexec_file_load', 'reboot'],
    unlessCaps: ['CAP_SYS_BOOT'],
  },
  {
    why: 'the clock is shared with the host',
    syscalls: [
      'settimeofday',
      'stime',
      'clock_settime',
      'clock_settime64',
      'clock_adjtime',
      'clock_adjtime64',
    ],
    unlessCaps: ['CAP_SYS_TIME'],
  },
  {
    why: 'mounting, pivoting and joining or making namespaces would let a process leave its sandbox',
    syscalls: [
      'mount',
      'umount',
      'umount2',
      'pivot_root',
      'unshare',
      'setns',
      'open_tree',
      'move_mount',
      'fsopen',
      'fsconfig',
      'fsmount',
      'fspick',
      'mount_setattr',
      'quotactl',
      'quotactl_fd',
      'swapon',
      'swapoff',
      'fanotify_init',
      'bpf',
      'perf_event_open',
    ],
    unlessCaps: ['CAP_SYS_ADMIN'],
  },
  {
    why: 'clone with namespace flags is unshare by another name',
    syscalls: ['clone'],
    unlessCaps: ['CAP_SYS_ADMIN'],
    flagArg: {
      index: 0,
      bits: [
        CLONE_NEWNS,
        CLONE_NEWCGROUP,
        CLONE_NEWUTS,
        CLONE_NEWIPC,
        CLONE_NEWUSER,
        CLONE_NEWPID,
        CLONE_NEWNET,
      ],
    },
  },
  {
    // clone3 passes its flags in memory, which seccomp cannot read; ENOSYS makes libc fall back to clone.
    why: 'clone3 hides its flags from the filter',
    syscalls: ['clone3'],
    unlessCaps: ['CAP_SYS_ADMIN'],
    errno: 38,
  },
  {
    why: 'opening files by handle bypasses the mount namespace (the "shocker" escape)',
    syscalls: ['open_by_handle_at'],
    unlessCaps: ['CAP_DAC_READ_SEARCH'],
  },
  {
    why: "the kernel log is the host's",
    syscalls: ['syslog'],
    unlessCaps: ['CAP_SYSLOG'],
  },
  {
    why: 'raw I/O port access',
    syscalls: ['iopl', 'ioperm'],
    unlessCaps: ['CAP_SYS_RAWIO'],
  },
  {
    why: 'process accounting writes a host-wide file',
    syscalls: ['acct'],
    unlessCaps: ['CAP_SYS_PACCT'],
  },
  {
    why: 'NUMA placement affects the whole host',
    syscalls: ['mbind', 'set_mempolicy', 'migrate_pages', 'move_pages'],
    unlessCaps: ['CAP_SYS_NICE'],
  },
  {
    why: "userfaultfd makes kernel races easy to win; kcmp reveals other processes' kernel objects",
    syscalls: ['userfaultfd', 'kcmp'],
    unlessCaps: ['CAP_SYS_PTRACE'],
  },
  {
    why: 'virtual terminal hang-up',
    syscalls: ['vhangup'],
    unlessCaps: ['CAP_SYS_TTY_CONFIG'],
  },
];
