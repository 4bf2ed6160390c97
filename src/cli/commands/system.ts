// `cmp system boot|enable-boot|disable-boot|prune`: host-wide upkeep of the embedded runtime. `boot` is
// what runs at host start-up: it brings back every project that has containers with restart `always` or
// `unless-stopped`, as Docker's daemon does when it starts; `enable-boot` installs the hook that runs it
// (a systemd unit, or an @reboot cron entry where systemd is not the init), `disable-boot` removes it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { GlobalOptions } from '../globals.js';
import { RuntimeError } from '../../util/errors.js';
import { embeddedOnly } from './image.js';
import { dispatch } from './subcommands.js';

type Opts = Record<string, unknown>;

const UNIT = 'cmp-boot.service';

export async function run(g: GlobalOptions, opts: Opts, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  await embeddedOnly(g, 'system');
  if (rest.length > 0) throw new RuntimeError(`cmp system ${action ?? ''}: unexpected argument ${rest[0]}`);
  return dispatch('system', action, {
    boot: () => boot(),
    'enable-boot': () => enableBoot(opts),
    'disable-boot': () => disableBoot(opts),
    prune: () => prune(),
  });
}

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
