// `cmp run SERVICE [CMD...]`: a one-off container of a service, named `<project>-<service>-run-<12 hex>`,
// labelled oneoff "True" so `up` leaves it alone (`down` removes it). Its dependencies are brought up first.
import { fstatSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { up } from '../../engine/index.js';
import { buildGraph } from '../../graph/dependency-graph.js';
import { withDependencies } from '../../graph/select.js';
import { parsePortShort, PortSyntaxError } from '../../loader/normalize/ports.js';
import { shellSplit } from '../../loader/normalize/shell-split.js';
import { parseVolumeShort, VolumeSyntaxError } from '../../loader/normalize/volumes.js';
import { parseEnvFile } from '../../loader/dotenv.js';
import type { PortConfig, Project, Service, ServiceVolume } from '../../model/types.js';
import { containerLabels, networkLabels, volumeLabels } from '../../plan/labels.js';
import { findOrphans, observe, orphanWarning } from '../../plan/index.js';
import { imageRef, pullPolicy } from '../../plan/service-facts.js';
import { LABEL, type NetworkAttachRequest, type Runtime } from '../../runtime/types.js';
import { UsageError } from '../../util/errors.js';
import type { GlobalOptions } from '../globals.js';
import { formatEntry } from '../format/logs.js';
import { checkServices, type CommandIO } from './common.js';
import { envFlag, envTrue, stringList } from './flags/values.js';
import { pullFlag, type PullFlag } from './flags/up-flags.js';
import { readLogs, within } from './follow.js';
import { open, withSession } from './open.js';

export interface RunFlags {
  rm: boolean;
  detach: boolean;
  name?: string;
  env: Record<string, string>;
  entrypoint?: string[];
  user?: string;
  workdir?: string;
  tty: boolean;
  noDeps: boolean;
  /** `-p/--publish` (repeatable): the only ports the one-off publishes. */
  publish: PortConfig[];
  /** `--service-ports`: publish the service's own ports, as `up` would. */
  servicePorts: boolean;
  /** `-v` (repeatable): mounts added to the service's. */
  volumes: ServiceVolume[];
  /** `-l` (repeatable): labels added to the one-off container. */
  labels: Record<string, string>;
  capAdd: string[];
  capDrop: string[];
  /** `--use-aliases`: the one-off answers to the service's name and aliases on its networks too. */
  useAliases: boolean;
  /** `--pull`, over the service's pull_policy. */
  pull?: PullFlag;
}

/** `--env-from-file F` (repeatable): VAR=VAL lines; a bare VAR takes cmp's own environment. */
function envFromFiles(
  files: readonly string[],
  env: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const lookup = (n: string): string | undefined => env[n];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--env-from-file: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    for (const { key, value } of parseEnvFile(text, file, lookup)) {
      const v = value ?? env[key];
      if (v !== undefined) out[key] = v;
    }
  }
  return out;
}

/** `-v SRC:DST[:MODE]` as in a service's `volumes:`; a relative host path is taken from here. */
function volumeFlag(values: readonly string[], cwd: string): ServiceVolume[] {
  return values.map((v) => {
    try {
      const m = parseVolumeShort(v);
      if (m.type === 'bind' && m.source) m.source = resolve(cwd, m.source);
      return m;
    } catch (e) {
      if (!(e instanceof VolumeSyntaxError)) throw e;
      throw new UsageError(`--volume: ${e.message}`, { hint: 'use [SOURCE:]TARGET[:ro]' });
    }
  });
}

/** `-l KEY=VALUE` (repeatable); `KEY` alone is an empty label, as docker reads it. */
function labelFlag(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const key = eq < 0 ? v : v.slice(0, eq);
    if (key === '') throw new UsageError(`--label: expected KEY=VALUE, got "${v}"`);
    out[key] = eq < 0 ? '' : v.slice(eq + 1);
  }
  return out;
}

/** `-p 8080:80`, `-p 127.0.0.1:8080:80/udp`: the short syntax of a service's `ports:`. */
function publishFlag(values: readonly string[]): PortConfig[] {
  return values.flatMap((v) => {
    try {
      return parsePortShort(v);
    } catch (e) {
      if (!(e instanceof PortSyntaxError)) throw e;
      throw new UsageError(`--publish: ${e.message}`, {
        hint: 'use [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]',
      });
    }
  });
}

export function readRunFlags(
  o: Record<string, unknown>,
  stdinIsTty: boolean,
  env: Record<string, string | undefined>,
): RunFlags {
  const f: RunFlags = {
    rm: o.rm === true,
    detach: o.detach === true,
    // -e wins over --env-from-file, as in compose.
    env: { ...envFromFiles(stringList(o.envFromFile), env), ...envFlag(stringList(o.env), env) },
    tty: o.TTY !== false && stdinIsTty && o.detach !== true,
    noDeps: o.deps === false,
    publish: publishFlag(stringList(o.publish)),
    servicePorts: o.servicePorts === true,
    volumes: volumeFlag(stringList(o.volume), process.cwd()),
    labels: labelFlag(stringList(o.label)),
    capAdd: stringList(o.capAdd).flatMap((v) => v.split(',')),
    capDrop: stringList(o.capDrop).flatMap((v) => v.split(',')),
    useAliases: o.useAliases === true,
  };
  if (f.rm && f.detach) throw new UsageError('--rm and --detach cannot be used together');
  if (o.tty === true && o.TTY === false) throw new UsageError('--tty and --no-TTY cannot be used together');
  // Asked for outright, a terminal needs one to give, as docker says.
  if (o.tty === true && !stdinIsTty && o.detach !== true)
    throw new UsageError('the input device is not a TTY', { hint: 'leave out --tty, or use -T' });
  const pull = pullFlag(o.pull);
  if (pull !== undefined) f.pull = pull;
  if (f.servicePorts && f.publish.length > 0)
    throw new UsageError('--service-ports and --publish cannot be used together');
  if (typeof o.name === 'string') f.name = o.name;
  if (typeof o.entrypoint === 'string') f.entrypoint = o.entrypoint === '' ? [] : shellSplit(o.entrypoint);
  if (typeof o.user === 'string') f.user = o.user;
  if (typeof o.workdir === 'string') f.workdir = o.workdir;
  return f;
}

export function oneoffName(project: string, service: string, slug: string): string {
  return `${project}-${service}-run-${slug.slice(0, 12)}`;
}

/** Networks and volumes the service needs, created the way `up` would if they are missing. */
async function ensureResources(runtime: Runtime, project: Project, service: Service): Promise<void> {
  if (!service.network_mode) {
    for (const key of Object.keys(service.networks ?? {})) {
      const net = project.networks[key];
      if (!net || net.external || (await runtime.inspectNetwork(net.name))) continue;
      await runtime.createNetwork({
        name: net.name,
        key,
        project: project.name,
        labels: networkLabels(project, key, net),
        config: net,
      });
    }
  }
  for (const m of service.volumes) {
    const vol = m.type === 'volume' && m.source ? project.volumes[m.source] : undefined;
    if (!vol || !m.source || vol.external || (await runtime.inspectVolume(vol.name))) continue;
    await runtime.createVolume({
      name: vol.name,
      key: m.source,
      project: project.name,
      labels: volumeLabels(project, m.source, vol),
      config: vol,
    });
  }
}

function attachments(
  project: Project,
  service: Service,
  name: string,
  serviceAliases?: string,
): NetworkAttachRequest[] {
  if (service.network_mode) return [];
  // A one-off answers to its own name only, unless --use-aliases: the service name stays with the
  // service's containers.
  return Object.entries(service.networks ?? {}).map(([key, att]) => {
    const req: NetworkAttachRequest = {
      network: project.networks[key]?.name ?? `${project.name}_${key}`,
      aliases: serviceAliases ? [name, serviceAliases, ...(att?.aliases ?? [])] : [name],
    };
    if (att?.priority !== undefined) req.priority = att.priority;
    return req;
  });
}

export async function runCommand(
  runtime: Runtime,
  project: Project,
  flags: RunFlags,
  args: string[],
  io: CommandIO,
): Promise<number> {
  const [serviceName, ...command] = args;
  if (!serviceName) throw new UsageError('run needs a service', { hint: 'cmp run SERVICE [COMMAND...]' });
  checkServices(project, [serviceName]);
  const base = project.services[serviceName] as Service;
  const deps = flags.noDeps
    ? []
    : [...withDependencies(buildGraph(project), [serviceName])].filter((s) => s !== serviceName);
  // `up` of the dependencies warns about orphans itself; without it, run gives compose's warning here.
  if (deps.length > 0) await up(runtime, project, { services: deps }, io.sink, io.signal);
  else await warnOrphans(runtime, project, io);
  // As in compose, the service's ports are published only with --service-ports (they would clash with
  // the service's own containers), -p publishes others, and no restart policy applies: a one-off must not
  // outlive the command.
  const service: Service = {
    ...base,
    ports: flags.servicePorts ? base.ports : flags.publish,
    restart: 'no',
  };
  delete service.deploy;
  if (flags.user) service.user = flags.user;
  if (flags.workdir) service.working_dir = flags.workdir;
  if (flags.tty) service.tty = true;
  service.stdin_open = true;
  if (flags.volumes.length > 0) {
    const targets = new Set(flags.volumes.map((v) => v.target));
    service.volumes = [...base.volumes.filter((v) => !targets.has(v.target)), ...flags.volumes];
  }
  if (flags.capAdd.length > 0) service.cap_add = [...(base.cap_add ?? []), ...flags.capAdd];
  if (flags.capDrop.length > 0) service.cap_drop = [...(base.cap_drop ?? []), ...flags.capDrop];
  await ensureResources(runtime, project, service);
  const { ref } = imageRef(project, serviceName);
  const image = await runtime.ensureImage(ref, flags.pull ?? pullPolicy(service), io.sink, io.signal);
  const slug = randomBytes(32).toString('hex');
  const name = flags.name ?? oneoffName(project.name, serviceName, slug);
  const labels: Record<string, string> = {
    ...containerLabels(project, serviceName, 1, image.id),
    [LABEL.oneoff]: 'True',
    [LABEL.slug]: slug,
    ...flags.labels,
  };
  delete labels[LABEL.number];
  // Attached, the one-off gets this process's stdin (and terminal) where the runtime can do that; compose's
  // run is interactive too. Only when there is a stdin to give: not for a closed one or /dev/null.
  const interactive = !flags.detach && runtime.runAttached !== undefined && stdinToGive();
  const created = await runtime.createContainer({
    name,
    project,
    serviceName,
    service,
    number: 1,
    oneoff: true,
    labels,
    image,
    networks: attachments(project, service, name, flags.useAliases ? serviceName : undefined),
    ...(command.length > 0 ? { command } : {}),
    ...(flags.entrypoint ? { entrypoint: flags.entrypoint } : {}),
    ...(Object.keys(flags.env).length > 0 ? { extraEnv: flags.env } : {}),
    ...(interactive ? { attached: true } : {}),
  });
  // The container's output must start below the view's last frame, not be drawn over by it.
  await io.endProgress?.();
  if (interactive && runtime.runAttached)
    return runInteractive(runtime, runtime.runAttached.bind(runtime), created.id, flags.rm, io);
  await runtime.startContainer(created.id);
  io.changesDone?.();
  if (flags.detach) {
    io.out(`${name}\n`);
    return 0;
  }
  return attachOneoff(runtime, created.id, flags.rm, io);
}

async function warnOrphans(runtime: Runtime, project: Project, io: CommandIO): Promise<void> {
  if (envTrue(process.env.COMPOSE_IGNORE_ORPHANS)) return;
  const orphans = findOrphans(project, (await observe(runtime, project)).containers);
  if (orphans.length === 0) return;
  io.sink?.({
    time: Date.now(),
    kind: 'project',
    name: project.name,
    action: 'warning',
    status: orphanWarning(orphans),
  });
}

/** A terminal, a pipe, a file or a socket on fd 0: something the user means the container to read. */
function stdinToGive(): boolean {
  if (process.stdin.isTTY) return true;
  try {
    const st = fstatSync(0);
    return st.isFIFO() || st.isFile() || st.isSocket();
  } catch {
    return false;
  }
}

/** The one-off on this process's stdio until it exits; the runtime passes signals on to it. */
async function runInteractive(
  runtime: Runtime,
  runAttached: (id: string) => Promise<number>,
  id: string,
  rm: boolean,
  io: CommandIO,
): Promise<number> {
  // The lock is released first: a long interactive session must not hold up other commands.
  io.changesDone?.();
  try {
    return await runAttached(id);
  } finally {
    if (rm) await runtime.removeContainer(id, { force: true, volumes: true });
  }
}

/** Streams the container's output until it exits; Ctrl-C stops it (exit 130). */
async function attachOneoff(runtime: Runtime, id: string, rm: boolean, io: CommandIO): Promise<number> {
  const follow = new AbortController();
  const state = await runtime.inspectContainer(id);
  const reading = state
    ? readLogs(runtime, state, { follow: true, signal: follow.signal }, (e) => {
        const text = formatEntry(e, { color: false, timestamps: false, noPrefix: true, width: 0 });
        if (e.stream === 'stderr') io.err(text);
        else io.out(text);
      }).catch(() => undefined)
    : Promise.resolve(undefined);
  let code: number;
  try {
    code = await runtime.waitContainer(id, io.signal);
  } catch (e) {
    follow.abort();
    await reading;
    if (!io.signal?.aborted) throw e;
    // A second Ctrl-C does not wait for the stop's grace period.
    const unforce = io.onForce?.(() => void runtime.killContainer(id, 'SIGKILL').catch(() => undefined));
    try {
      await runtime.stopContainer(id, { timeoutMs: 10_000 });
    } finally {
      unforce?.();
    }
    if (rm) await runtime.removeContainer(id, { force: true, volumes: true });
    return 130;
  }
  await within(reading, 1000);
  follow.abort();
  await reading;
  if (rm) await runtime.removeContainer(id, { force: true, volumes: true });
  return code;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const isTty = process.stdin.isTTY === true;
  const flags = readRunFlags(o, isTty, process.env);
  const { project, runtime, unlock } = await open(g, args.slice(0, 1), { prepare: true });
  return withSession(g, (io) => runCommand(runtime, project, flags, args, { ...io, changesDone: unlock }));
}
