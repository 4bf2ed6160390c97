// Builds a container's config.json from already-resolved parts. Pure: no I/O except reading which
// kernel paths exist, so it is cheap to test and diff against `docker inspect`.
import type { Service } from '../../../model/types.js';
import { DEFAULT_SHM_BYTES, INIT_BINARY, INIT_PATH, maskedPaths, readonlyPaths } from './defaults.js';
import { resourcesFor, rlimitsFor } from './limits.js';
import type { OciMount, OciNamespace, OciSpec, OciUser } from './oci-types.js';
import type { Security } from './security.js';

export type NetworkMode = { kind: 'path'; path: string } | { kind: 'none' } | { kind: 'host' };

export interface SpecInput {
  id: string;
  rootfs: string;
  service: Service;
  args: string[];
  env: string[];
  cwd: string;
  user: OciUser;
  hostname: string;
  network: NetworkMode;
  security: Security;
  /** Host-rootfs mode: read-only binds of the host's system dirs, private writable tmpfs dirs. */
  hostRootfsBinds?: string[];
  /** /etc/hosts, /etc/hostname, /etc/resolv.conf. */
  etcFiles: { hosts: string; hostname: string; resolvConf: string };
  /** Volumes, binds and tmpfs, already resolved to host paths. */
  volumeMounts: OciMount[];
}

export const CGROUP_PARENT = 'cmp';

function baseMounts(service: Service, privileged: boolean): OciMount[] {
  const shm = service.shm_size ?? DEFAULT_SHM_BYTES;
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shm}`],
    },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/sys',
      type: 'sysfs',
      source: 'sysfs',
      options: ['nosuid', 'noexec', 'nodev', privileged ? 'rw' : 'ro'],
    },
    {
      destination: '/sys/fs/cgroup',
      type: 'cgroup',
      source: 'cgroup',
      options: ['nosuid', 'noexec', 'nodev', 'relatime', privileged ? 'rw' : 'ro'],
    },
  ];
}

function tmpfsMounts(service: Service): OciMount[] {
  return (service.tmpfs ?? []).map((entry) => {
    const [dest = entry, opts] = entry.split(/:(.*)/s, 2);
    const options = ['nosuid', 'nodev', 'noexec', ...(opts ? opts.split(',') : [])];
    return { destination: dest, type: 'tmpfs', source: 'tmpfs', options };
  });
}

function hostRootfsMounts(binds: string[]): OciMount[] {
  const ro = binds.map((p) => ({
    destination: p,
    type: 'bind',
    source: p,
    options: ['rbind', 'ro', 'nosuid', 'nodev', 'rprivate'],
  }));
  const writable = [
    ['/tmp', '1777'],
    ['/var/tmp', '1777'],
    ['/run', '755'],
  ].map(([d, mode]) => ({
    destination: d as string,
    type: 'tmpfs',
    source: 'tmpfs',
    options: ['nosuid', 'nodev', `mode=${mode}`],
  }));
  return [...ro, ...writable];
}

function depth(p: string): number {
  return p.split('/').filter(Boolean).length;
}

export function buildSpec(i: SpecInput): OciSpec {
  const s = i.service;
  const privileged = i.security.privileged;
  const namespaces: OciNamespace[] = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }];
  if (i.network.kind === 'path') namespaces.push({ type: 'network', path: i.network.path });
  else if (i.network.kind === 'none') namespaces.push({ type: 'network' });
  namespaces.push({ type: 'cgroup' });

  const etc: OciMount[] = [
    { destination: '/etc/hosts', type: 'bind', source: i.etcFiles.hosts, options: ['rbind', 'rprivate'] },
    {
      destination: '/etc/hostname',
      type: 'bind',
      source: i.etcFiles.hostname,
      options: ['rbind', 'rprivate'],
    },
    {
      destination: '/etc/resolv.conf',
      type: 'bind',
      source: i.etcFiles.resolvConf,
      options: ['rbind', 'rprivate'],
    },
  ];
  const init: OciMount[] = s.init
    ? [
        {
          destination: INIT_PATH,
          type: 'bind',
          source: INIT_BINARY,
          options: ['bind', 'ro', 'nosuid', 'nodev'],
        },
      ]
    : [];
  // Parents before children, so a volume at /data and a bind at /data/x both land.
  const user = [...tmpfsMounts(s), ...i.volumeMounts].sort(
    (a, b) => depth(a.destination) - depth(b.destination),
  );

  const sysctl: Record<string, string> = { ...(s.sysctls ?? {}) };
  if (i.network.kind !== 'host' && sysctl['net.ipv4.ping_group_range'] === undefined) {
    // Lets unprivileged ping use ICMP sockets, as Docker sets it.
    sysctl['net.ipv4.ping_group_range'] = '0 2147483647';
  }

  const rlimits = rlimitsFor(s.ulimits);
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: s.tty === true,
      user: i.user,
      args: s.init ? [INIT_PATH, '--', ...i.args] : i.args,
      env: i.env,
      cwd: i.cwd,
      capabilities: i.security.capabilities,
      ...(rlimits.length ? { rlimits } : {}),
      noNewPrivileges: i.security.noNewPrivileges,
    },
    root: { path: i.rootfs, readonly: s.read_only === true || i.hostRootfsBinds !== undefined },
    hostname: i.hostname,
    ...(s.domainname ? { domainname: s.domainname } : {}),
    mounts: [
      ...baseMounts(s, privileged),
      ...(i.hostRootfsBinds ? hostRootfsMounts(i.hostRootfsBinds) : []),
      ...init,
      ...etc,
      ...user,
    ],
    linux: {
      namespaces,
      ...(i.security.devices.length ? { devices: i.security.devices } : {}),
      cgroupsPath: `/${CGROUP_PARENT}/${i.id}`,
      resources: resourcesFor(s, privileged),
      sysctl,
      maskedPaths: privileged ? [] : maskedPaths(),
      readonlyPaths: privileged ? [] : readonlyPaths(),
      ...(i.security.seccomp ? { seccomp: i.security.seccomp } : {}),
      rootfsPropagation: 'rprivate',
    },
  };
}
