// createContainer: the identity on disk, then rootfs, sandbox and networks, /etc files, mounts and
// config.json; the caller launches it and writes the record last. Nothing runs yet; start hands the
// bundle to conmon. Any failure undoes what was made; a process that dies meanwhile leaves the identity
// with no record, which the next command that changes the project finds and removes (repair.ts).
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from '../../../util/errors.js';
import type { ContainerCreateRequest, ContainerNetworkState } from '../../types.js';
import type { NetworkBackend, ResolverConfig } from '../net/types.js';
import { removeVolume, resolveMounts } from '../volumes.js';
import { mergeCommand, mergeEnv } from './command.js';
import { HOST_GATEWAY, extraHostEntries, hostsFile, resolvConf } from './etc-files.js';
import { HOST_ROOTFS_IMAGE, type ImageSource, isHostRootfsService } from './image-source.js';
import { type ContainerMeta, listMeta, writeIdentity } from './meta.js';
import { faultPoint } from '../../../util/fault.js';
import type { OciMount, OciSpec } from './oci-types.js';
import { bundleDir, containerDir, etcFile, exitDir } from './paths.js';
import { mountOverlay, prepareHostRootfs, removeBundle } from './rootfs.js';
import { runcState } from './runc.js';
import { fileRefMounts, withHostMountpoints } from './secrets.js';
import { linkAliases } from './link-aliases.js';
import { securityFor } from './security.js';
import { PRIVATE_DIR_MODE } from '../private-roots.js';
import { logPolicyFor } from './log-rotate.js';
import { type NetworkMode, buildSpec } from './spec.js';
import { resolveUser } from './user.js';

export interface CreateDeps {
  images: ImageSource;
  net: NetworkBackend;
  /** Things compose would warn about (ignored attributes); stderr when not given. */
  warn?: (message: string) => void;
}

/** Said once per process: a service with replicas is created several times with the same setup. */
const warned = new Set<string>();
function warnOnce(deps: CreateDeps, message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  (deps.warn ?? ((m: string) => process.stderr.write(`WARN ${m}\n`)))(message);
}

/**
 * What `host-gateway` in `extra_hosts` stands for: the host's address as the container sees it. On a
 * bridge that is the gateway of the container's first network (the bridge's own address on the host); with
 * `network_mode: host` the container is on the host's stack, so loopback reaches everything the host
 * serves (Docker would give docker0's address, which needs docker0 to exist); a container sharing another
 * one's namespace gets what that one would; `none` has no way to the host at all.
 */
function hostGatewayOf(
  service: { network_mode?: string | undefined },
  networks: readonly ContainerNetworkState[],
  peer: ContainerMeta | undefined,
  all: readonly ContainerMeta[],
  seen: ReadonlySet<string> = new Set(),
): string | undefined {
  const mode = service.network_mode;
  if (mode === 'host') return '127.0.0.1';
  if (mode === 'none') return undefined;
  if (peer) {
    if (seen.has(peer.id)) return undefined;
    const next = peerOf(peer.service?.network_mode, peer.labels['com.docker.compose.project'] ?? '', all);
    return hostGatewayOf(peer.service ?? {}, peer.networks, next, all, new Set([...seen, peer.id]));
  }
  return networks[0]?.gateway;
}

/** The container a `service:x` / `container:x` network mode names, if it exists. */
function peerOf(
  mode: string | undefined,
  project: string,
  all: readonly ContainerMeta[],
): ContainerMeta | undefined {
  if (!mode || !/^(service|container):/.test(mode)) return undefined;
  const [kind, ref] = mode.split(':', 2);
  return kind === 'container'
    ? all.find((m) => m.name === ref || m.id === ref)
    : all.find(
        (m) =>
          m.labels['com.docker.compose.project'] === project &&
          m.labels['com.docker.compose.service'] === ref,
      );
}

/** `volumes_from` entries: `service[:ro|rw]` or `container:name[:ro|rw]`. */
async function inheritedMounts(req: ContainerCreateRequest, all: ContainerMeta[]): Promise<OciMount[]> {
  const out: OciMount[] = [];
  for (const entry of req.service.volumes_from ?? []) {
    const parts = entry.split(':');
    const isContainer = parts[0] === 'container';
    const ref = isContainer ? parts[1] : parts[0];
    const mode = isContainer ? parts[2] : parts[1];
    const from = isContainer
      ? all.find((m) => m.name === ref || m.id === ref)
      : all.find(
          (m) =>
            m.labels['com.docker.compose.project'] === req.project.name &&
            m.labels['com.docker.compose.service'] === ref,
        );
    if (!from) {
      const subject = isContainer ? `container ${ref}` : `service ${ref}`;
      throw new RuntimeError(`cannot share volume with ${subject}: container missing`);
    }
    for (const m of from.volumeMounts) {
      const options = (m.options ?? []).filter((o) => o !== 'ro' && o !== 'rw');
      const ro = mode === 'ro' || (mode !== 'rw' && (m.options ?? []).includes('ro'));
      out.push({ ...m, options: [...options, ro ? 'ro' : 'rw'] });
    }
  }
  return out;
}

/**
 * The network namespace a `service:x` / `container:x` container joins: the peer's running process's.
 * Looked up at every launch, since a restarted peer has a new process.
 */
export async function peerNetns(
  mode: string,
  project: string,
  all: readonly ContainerMeta[],
): Promise<{ path: string; peer: ContainerMeta }> {
  const other = peerOf(mode, project, all);
  const [kind, ref] = mode.split(':', 2);
  const subject = kind === 'service' ? `service ${ref}` : `container ${ref}`;
  if (!other) throw new RuntimeError(`cannot share network namespace with ${subject}: container missing`);
  const st = await runcState(other.id);
  if (st?.status !== 'running') {
    throw new RuntimeError(
      `cannot share network namespace with ${subject}: container ${other.name} is not running`,
      { hint: `start ${other.name} first` },
    );
  }
  return { path: `/proc/${st.pid}/ns/net`, peer: other };
}

async function networkModeFor(
  req: ContainerCreateRequest,
  all: ContainerMeta[],
): Promise<{ mode: NetworkMode | 'sandbox'; peer?: ContainerMeta }> {
  const mode = req.service.network_mode;
  if (mode === 'none') return { mode: { kind: 'none' } };
  if (mode === 'host') return { mode: { kind: 'host' } };
  if (mode && /^(service|container):/.test(mode)) {
    const { path, peer } = await peerNetns(mode, req.project.name, all);
    return { mode: { kind: 'path', path }, peer };
  }
  return { mode: 'sandbox' };
}

/**
 * Names being created by this process: `up` creates containers in parallel, and two services may ask for
 * the same `container_name`; the second must be refused even before the first's record is written.
 */
const creating = new Set<string>();

export const newContainerId = (): string => randomBytes(32).toString('hex');

/**
 * Makes everything of container `id` but its record, which the caller writes once the container is
 * launched. The caller holds the container's create lock (paths.ts) throughout, so no other process
 * takes the half-made container for a broken one.
 */
export async function createContainer(
  deps: CreateDeps,
  req: ContainerCreateRequest,
  id: string,
): Promise<ContainerMeta> {
  if (creating.has(req.name)) throw new RuntimeError(`container name "${req.name}" is already in use`);
  creating.add(req.name);
  try {
    return await createNamed(deps, req, id);
  } finally {
    creating.delete(req.name);
  }
}

async function createNamed(
  deps: CreateDeps,
  req: ContainerCreateRequest,
  id: string,
): Promise<ContainerMeta> {
  const all = await listMeta();
  if (all.some((m) => m.name === req.name)) {
    throw new RuntimeError(`container name "${req.name}" is already in use`);
  }
  const s = req.service;
  const what = `service "${req.serviceName}"`;
  const hostRootfs = req.image.id === HOST_ROOTFS_IMAGE.id || isHostRootfsService(s);
  const image = hostRootfs ? HOST_ROOTFS_IMAGE : req.image;
  let sandboxMade = false;
  const anonymous: string[] = [];
  // The exit dir too: conmon needs it, and a container is created once but may be launched many times.
  // Both private to root, like the roots above them (private-roots.ts).
  await Promise.all([
    mkdir(exitDir(id), { recursive: true, mode: PRIVATE_DIR_MODE }),
    mkdir(bundleDir(id), { recursive: true, mode: PRIVATE_DIR_MODE }),
  ]);
  try {
    // First, before anything is made for it: whatever follows can be found from here if this process dies.
    await writeIdentity({ id, name: req.name, labels: req.labels, image: image.ref, createdAt: Date.now() });
    faultPoint('create:identity');
    let rootfs: string;
    let layers: string[] = [];
    let hostBinds: string[] | undefined;
    if (hostRootfs) {
      const prepared = await prepareHostRootfs(id);
      rootfs = prepared.rootfs;
      hostBinds = prepared.binds;
    } else {
      layers = await deps.images.layerDirs(image.id);
      rootfs = await mountOverlay(id, layers);
    }
    faultPoint('create:rootfs');
    // What the process will see as its /: the merged overlay, or the host itself.
    const seenRoot = hostRootfs ? '/' : rootfs;

    const { mode: modeOrSandbox, peer } = await networkModeFor(req, all);
    let network: NetworkMode;
    let networks: ContainerNetworkState[] = [];
    let resolver: ResolverConfig = { nameservers: [], search: [], options: [] };
    if (modeOrSandbox === 'sandbox') {
      const sandbox = await deps.net.createSandbox(id, { attachments: req.networks.length });
      sandboxMade = true;
      faultPoint('create:sandbox');
      const identity = { project: req.project.name, service: req.serviceName, number: req.number };
      for (const n of req.networks) networks.push(await deps.net.attach(sandbox, n, identity));
      faultPoint('create:networks');
      resolver = await deps.net.resolverFor(id, {
        ...(s.dns ? { dns: s.dns } : {}),
        ...(s.dns_search ? { dns_search: s.dns_search } : {}),
        ...(s.dns_opt ? { dns_opt: s.dns_opt } : {}),
        links: linkAliases(s),
      });
      network = { kind: 'path', path: sandbox.netnsPath };
    } else {
      network = modeOrSandbox;
      networks = [];
    }

    const hostname = s.hostname ?? id.slice(0, 12);
    const addresses = networks.map((n) => n.ipv4Address).filter((a): a is string => !!a);
    const extraHosts = s.extra_hosts ?? [];
    let hostGateway: string | undefined;
    if (extraHostEntries(extraHosts).some((e) => e.address === HOST_GATEWAY)) {
      hostGateway = hostGatewayOf(s, networks, peer, all);
      if (!hostGateway) {
        warnOnce(
          deps,
          `${what}: extra_hosts host-gateway: the container has no network that reaches the host, ` +
            'so the name is left out of /etc/hosts',
        );
      }
    }
    await Promise.all([
      writeFile(etcFile(id, 'hosts'), hostsFile(hostname, addresses.slice(0, 1), extraHosts, hostGateway)),
      writeFile(etcFile(id, 'hostname'), `${hostname}\n`),
      writeFile(etcFile(id, 'resolv.conf'), resolvConf(resolver, s)),
    ]);

    const user = await resolveUser(seenRoot, s.user ?? image.config.user, what);
    const args = mergeCommand({
      image: image.config,
      serviceEntrypoint: req.entrypoint ?? s.entrypoint,
      serviceCommand: req.command ?? s.command,
    });
    if (args.length === 0) {
      throw new RuntimeError(
        `${what}: no command: the image has none and the service sets neither command nor entrypoint`,
      );
    }
    const env = mergeEnv(image.config.env, s.environment, req.extraEnv ?? {}, {
      hostname,
      home: user.home,
      tty: s.tty === true,
    });
    const inherited = await inheritedMounts(req, all);
    const resolved = await resolveMounts({
      project: req.project,
      serviceName: req.serviceName,
      service: s,
      ...(hostRootfs ? {} : { rootfs }),
      imageVolumes: image.config.volumes ?? [],
      inherited,
    });
    anonymous.push(...resolved.anonymous);
    const files = await fileRefMounts({
      project: req.project,
      serviceName: req.serviceName,
      service: s,
      containerId: id,
    });
    for (const w of files.warnings) warnOnce(deps, w);

    // Bad logging options fail here, at create, not later in the supervisor's rotation.
    logPolicyFor(s, what);
    const security = securityFor(s, user.uid, what);
    const spec = buildSpec({
      id,
      rootfs,
      service: s,
      args,
      env,
      cwd: s.working_dir || image.config.workingDir || '/',
      user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids ?? [] },
      hostname,
      network,
      security,
      ...(hostBinds ? { hostRootfsBinds: hostBinds } : {}),
      etcFiles: {
        hosts: etcFile(id, 'hosts'),
        hostname: etcFile(id, 'hostname'),
        resolvConf: etcFile(id, 'resolv.conf'),
      },
      // After the volumes: at an equal depth a config or secret is mounted last, so it is what shows.
      volumeMounts: [...resolved.mounts, ...files.mounts],
    });
    if (hostBinds) spec.mounts = await withHostMountpoints(id, spec.mounts, hostBinds);
    // It holds the environment: the owner's only.
    await writeFile(join(bundleDir(id), 'config.json'), JSON.stringify(spec), { mode: 0o600 });
    faultPoint('create:bundle');
    const meta: ContainerMeta = {
      id,
      name: req.name,
      labels: req.labels,
      image: image.ref,
      imageId: image.id,
      layers,
      hostRootfs,
      spec,
      volumeMounts: resolved.mounts,
      anonymousVolumes: anonymous,
      sandbox: sandboxMade,
      networks,
      publish: s.ports,
      ports: [],
      ...((s.stop_signal ?? image.config.stopSignal)
        ? { stopSignal: s.stop_signal ?? image.config.stopSignal }
        : {}),
      tty: s.tty === true,
      stdinOpen: s.stdin_open === true,
      createdAt: Date.now(),
      restartCount: 0,
      service: s,
      imageConfig: image.config,
    };
    return meta;
  } catch (e) {
    await removeBundle(id, bundleDir(id)).catch(() => undefined);
    if (sandboxMade) await deps.net.destroySandbox(id).catch(() => undefined);
    for (const v of anonymous) await removeVolume(v).catch(() => undefined);
    await rm(containerDir(id), { recursive: true, force: true });
    throw e;
  }
}

/**
 * The spec of a `service:x` / `container:x` container pointed at its peer's current process: the peer
 * may have been restarted (a new process, a new namespace path) since this container was created.
 * undefined when the container has a namespace of its own.
 */
export async function withPeerNetns(meta: ContainerMeta): Promise<OciSpec | undefined> {
  const mode = meta.service?.network_mode;
  if (!mode || !/^(service|container):/.test(mode)) return undefined;
  const { path } = await peerNetns(mode, meta.labels['com.docker.compose.project'] ?? '', await listMeta());
  const namespaces = meta.spec.linux.namespaces.map((n) =>
    n.type === 'network' ? { type: n.type, path } : n,
  );
  return { ...meta.spec, linux: { ...meta.spec.linux, namespaces } };
}
