// `cmp system`: host-wide views and upkeep of the embedded runtime. `df` and `info` show what it holds and
// uses on this host (images, containers, volumes, build cache, its state folders), in docker's shapes.
// `boot` is what runs at host start-up: it brings back every project that has containers with restart
// `always` or `unless-stopped`, as Docker's daemon does when it starts; `enable-boot` installs the hook that
// runs it (a systemd unit, or an @reboot cron entry where systemd is not the init), `disable-boot` removes
// it; `prune` removes what removed containers and projects left behind.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { tryRun } from '../../util/exec.js';
import { UsageError } from '../../util/errors.js';
import { runRoot, stateRoot } from '../../util/paths.js';
import { VERSION } from '../../version.js';
import { jsonLines, renderTable } from '../format/table.js';
import type { GlobalOptions } from '../globals.js';
import { embeddedOnly, humanSize } from './image.js';
import { dispatch } from './subcommands.js';

type Opts = Record<string, unknown>;

export async function run(g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (rest.length > 0) throw new UsageError(`system ${action ?? ''} takes no arguments`);
  await embeddedOnly(g, 'system');
  return dispatch('system', action, {
    df: () => df(opts),
    info: () => info(opts),
    boot: () => boot(),
    'enable-boot': () => enableBoot(opts),
    'disable-boot': () => disableBoot(opts),
    prune: () => prune(),
  });
}

export interface UsageRow {
  type: string;
  total: number;
  active: number;
  size: number;
  reclaimable: number;
}

interface Holdings {
  rows: UsageRow[];
  containers: { total: number; running: number; paused: number; stopped: number };
  images: number;
}

async function holdings(): Promise<Holdings> {
  const { diskUsage } = await import('../../runtime/embedded/images/usage.js');
  const { listMeta } = await import('../../runtime/embedded/containers/meta.js');
  const { runcStates } = await import('../../runtime/embedded/containers/runc.js');
  const { upperDir } = await import('../../runtime/embedded/containers/paths.js');
  const { ImageStore } = await import('../../runtime/embedded/images/store.js');
  const metas = await listMeta();
  const runc = await runcStates();
  const statusOf = (id: string): string => runc.get(id)?.status ?? 'stopped';
  const images = await new ImageStore().list();
  const usedImages = new Set(metas.map((m) => m.imageId));
  const imageSize = (ids: (i: { id: string }) => boolean): number =>
    images.filter(ids).reduce((n, i) => n + (i.size ?? 0), 0);
  const containerSizes = await Promise.all(metas.map(async (m) => diskUsage(upperDir(m.id))));
  const running = metas.filter((m) => statusOf(m.id) === 'running').length;
  const paused = metas.filter((m) => statusOf(m.id) === 'paused').length;
  const volumesDir = join(stateRoot(), 'volumes');
  const volumeNames = await readdir(volumesDir).catch(() => [] as string[]);
  const mountSources = metas.flatMap((m) =>
    [...(m.spec.mounts ?? []), ...m.volumeMounts].map((x) => x.source ?? ''),
  );
  const volumeRows = await Promise.all(
    volumeNames.map(async (v) => {
      const dir = join(volumesDir, v);
      return {
        size: await diskUsage(dir),
        used: mountSources.some((s) => s === dir || s.startsWith(`${dir}/`)),
      };
    }),
  );
  const buildCache = await diskUsage(join(stateRoot(), 'build'));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  return {
    rows: [
      {
        type: 'Images',
        total: images.length,
        active: images.filter((i) => usedImages.has(i.id)).length,
        size: imageSize(() => true),
        reclaimable: imageSize((i) => !usedImages.has(i.id)),
      },
      {
        type: 'Containers',
        total: metas.length,
        active: running + paused,
        size: sum(containerSizes),
        reclaimable: sum(
          containerSizes.filter((_, i) => !['running', 'paused'].includes(statusOf(metas[i]?.id ?? ''))),
        ),
      },
      {
        type: 'Local Volumes',
        total: volumeNames.length,
        active: volumeRows.filter((v) => v.used).length,
        size: sum(volumeRows.map((v) => v.size)),
        reclaimable: sum(volumeRows.filter((v) => !v.used).map((v) => v.size)),
      },
      {
        type: 'Build Cache',
        total: buildCache > 0 ? 1 : 0,
        active: 0,
        size: buildCache,
        reclaimable: buildCache,
      },
    ],
    containers: { total: metas.length, running, paused, stopped: metas.length - running - paused },
    images: images.length,
  };
}

const percent = (part: number, whole: number): string =>
  whole > 0 ? ` (${Math.round((part / whole) * 100)}%)` : '';

export function formatDf(rows: readonly UsageRow[], format: string): string {
  if (format === 'json')
    return jsonLines(
      rows.map((r) => ({
        Active: String(r.active),
        Reclaimable: `${humanSize(r.reclaimable)}${percent(r.reclaimable, r.size)}`,
        Size: humanSize(r.size),
        TotalCount: String(r.total),
        Type: r.type,
      })),
    );
  return renderTable(
    ['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'],
    rows.map((r) => [
      r.type,
      String(r.total),
      String(r.active),
      humanSize(r.size),
      `${humanSize(r.reclaimable)}${percent(r.reclaimable, r.size)}`,
    ]),
  );
}

async function df(opts: Opts): Promise<number> {
  const { rows } = await holdings();
  process.stdout.write(formatDf(rows, String(opts.format ?? 'table')));
  return 0;
}

async function firstLine(cmd: string, args: string[]): Promise<string> {
  const r = await tryRun(cmd, args).catch(() => undefined);
  return r && r.exitCode === 0 ? (r.stdout.split('\n')[0] ?? '').trim() : 'not found';
}

async function info(opts: Opts): Promise<number> {
  const h = await holdings();
  const { diskUsage } = await import('../../runtime/embedded/images/usage.js');
  const cgroup = (await readdir('/sys/fs/cgroup').catch(() => [] as string[])).includes('cgroup.controllers')
    ? '2'
    : '1';
  const data = {
    Runtime: 'embedded',
    ServerVersion: VERSION,
    Containers: h.containers.total,
    ContainersRunning: h.containers.running,
    ContainersPaused: h.containers.paused,
    ContainersStopped: h.containers.stopped,
    Images: h.images,
    Driver: 'overlay',
    CgroupVersion: cgroup,
    Runc: await firstLine('runc', ['--version']),
    Conmon: await firstLine('conmon', ['--version']),
    KernelVersion: release(),
    NCPU: cpus().length,
    MemTotal: totalmem(),
    StateRoot: stateRoot(),
    StateSize: await diskUsage(stateRoot()),
    RunRoot: runRoot(),
  };
  if (opts.format === 'json') {
    process.stdout.write(`${JSON.stringify(data)}\n`);
    return 0;
  }
  const lines = [
    `Runtime: embedded (cmp ${VERSION})`,
    `Containers: ${data.Containers}`,
    ` Running: ${data.ContainersRunning}`,
    ` Paused: ${data.ContainersPaused}`,
    ` Stopped: ${data.ContainersStopped}`,
    `Images: ${data.Images}`,
    `Storage Driver: overlay`,
    `Cgroup Version: ${data.CgroupVersion}`,
    `runc: ${data.Runc}`,
    `conmon: ${data.Conmon}`,
    `Kernel Version: ${data.KernelVersion}`,
    `CPUs: ${data.NCPU}`,
    `Total Memory: ${humanSize(data.MemTotal)}`,
    `State Root: ${data.StateRoot} (${humanSize(data.StateSize)})`,
    `Run Root: ${data.RunRoot}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

const UNIT = 'cmp-boot.service';

/** Starts the supervisor of every project that has a container to bring back, and waits for its starts. */
async function boot(): Promise<number> {
  const { projectsToBoot } = await import('../../runtime/embedded/boot.js');
  const { bootProject } = await import('../../runtime/embedded/supervisor/control.js');
  let failed = 0;
  for (const project of await projectsToBoot()) {
    try {
      // The project's supervisor starts, in dependency order, what its restart policies bring back.
      await bootProject(project);
      process.stdout.write(`project ${project}: started\n`);
    } catch (e) {
      failed++;
      process.stderr.write(`project ${project}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

interface BootHook {
  kind: 'systemd unit' | 'cron entry';
  path: string;
}

/** systemd is the init when /run/systemd/system exists (what sd_booted(3) checks). */
const systemdRuns = (): boolean => existsSync('/run/systemd/system');

function rootOf(opts: Opts): string {
  return resolve(typeof opts.root === 'string' ? opts.root : '/');
}

function hookFor(opts: Opts): BootHook {
  const root = rootOf(opts);
  return systemdRuns()
    ? { kind: 'systemd unit', path: join(root, 'etc/systemd/system', UNIT) }
    : { kind: 'cron entry', path: join(root, 'etc/cron.d/cmp-boot') };
}

/** The command line the hook runs: this node and this cmp, with this command's state roots. */
function bootCommand(): { env: string[]; argv: string[] } {
  const env = ['CMP_STATE_ROOT', 'CMP_RUN_ROOT']
    .filter((k) => process.env[k] !== undefined)
    .map((k) => `${k}=${process.env[k] ?? ''}`);
  return { env, argv: [process.execPath, resolve(process.argv[1] ?? 'cmp'), 'system', 'boot'] };
}

function hookText(kind: BootHook['kind']): string {
  const { env, argv } = bootCommand();
  if (kind === 'systemd unit') {
    return [
      '[Unit]',
      'Description=cmp: bring back projects with restart always/unless-stopped containers',
      'After=network-online.target local-fs.target',
      'Wants=network-online.target',
      '',
      '[Service]',
      'Type=oneshot',
      'RemainAfterExit=yes',
      ...env.map((e) => `Environment=${e}`),
      `ExecStart=${argv.join(' ')}`,
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n');
  }
  return `# cmp: bring back projects with restart always/unless-stopped containers\n@reboot root ${[...env, ...argv].join(' ')}\n`;
}

const run$ = promisify(execFile);

async function enableBoot(opts: Opts): Promise<number> {
  const hook = hookFor(opts);
  await mkdir(dirname(hook.path), { recursive: true });
  await writeFile(hook.path, hookText(hook.kind), { mode: 0o644 });
  if (hook.kind === 'systemd unit' && rootOf(opts) === '/') {
    await run$('systemctl', ['daemon-reload']);
    await run$('systemctl', ['enable', UNIT]);
  }
  process.stdout.write(`installed ${hook.kind} ${hook.path}: at boot it runs \`cmp system boot\`\n`);
  return 0;
}

async function disableBoot(opts: Opts): Promise<number> {
  const hook = hookFor(opts);
  if (hook.kind === 'systemd unit' && rootOf(opts) === '/' && existsSync(hook.path)) {
    await run$('systemctl', ['disable', UNIT]).catch(() => undefined);
  }
  await rm(hook.path, { force: true });
  process.stdout.write(`removed ${hook.kind} ${hook.path}\n`);
  return 0;
}

async function prune(): Promise<number> {
  const { pruneState } = await import('../../runtime/embedded/prune-state.js');
  const { openEmbeddedRuntime } = await import('../../runtime/embedded/open.js');
  for (const line of await pruneState(await openEmbeddedRuntime())) process.stdout.write(`${line}\n`);
  return 0;
}
