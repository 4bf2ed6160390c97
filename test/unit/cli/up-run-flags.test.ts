// `up --no-start`, `--pull`, `--attach`/`--no-attach`/`--attach-dependencies` and `run -p`/`--service-ports`
// (issue #6): parsed from real command lines, checked for compose's conflicts, and run against the memory
// runtime for what a user sees.
import { describe, expect, it } from 'vitest';
import { project } from '../../fakes/project.js';
import type { PortConfig } from '../../../src/model/types.js';
import type { ContainerCreateRequest, ContainerState } from '../../../src/runtime/types.js';
import { upCommand, upDryRun } from '../../../src/cli/commands/up.js';
import { startCommand } from '../../../src/cli/commands/lifecycle.js';
import { readRunFlags, runCommand } from '../../../src/cli/commands/run.js';
import {
  attachedServices,
  checkUpConflicts,
  readUpFlags,
  upOptions,
} from '../../../src/cli/commands/flags/up-flags.js';
import { capture, CliRuntime, runtimesDisposedAfterEach } from './runtime.js';
import { parsed, upConflict as conflict, upFlags } from './parsed.js';

/** Remembers the ports each container was created with. */
class PortsRuntime extends CliRuntime {
  readonly portsOf = new Map<string, PortConfig[]>();
  override async createContainer(req: ContainerCreateRequest): Promise<ContainerState> {
    this.portsOf.set(req.name, req.service.ports);
    return super.createContainer(req);
  }
}

const fresh = runtimesDisposedAfterEach(() => new PortsRuntime());

/** web needs db; log is chatty and marked attach: false; job stands alone. */
const stack = (): ReturnType<typeof project> =>
  project({
    services: {
      db: { image: 'postgres:16' },
      web: { image: 'nginx:1.25', deps: { db: 'service_started' }, ports: [port(80, '8080')] },
      log: { image: 'busybox:latest', attach: false },
      job: { image: 'busybox:latest' },
    },
  });

function port(target: number, published?: string): PortConfig {
  return { target, protocol: 'tcp', mode: 'ingress', ...(published ? { published } : {}) };
}

async function statuses(rt: CliRuntime): Promise<Record<string, string>> {
  const list = await rt.listContainers('demo', { all: true });
  return Object.fromEntries(list.map((c) => [c.name, c.status]));
}

describe('up flags on the command line', () => {
  it('reads --no-start, --pull, repeated --attach and --no-attach, --attach-dependencies', async () => {
    const f = await upFlags('--no-start', '--pull', 'always', '--no-attach', 'log', '--no-attach', 'job');
    expect(f).toMatchObject({ noStart: true, pull: 'always', attach: [], noAttach: ['log', 'job'] });
    expect(upOptions(f, [])).toMatchObject({ noStart: true });
    // --no-attach is a list of its own, not commander's negation of --attach
    const g = await upFlags('--attach', 'web', '--no-attach', 'db', '--attach', 'job');
    expect(g).toMatchObject({ attach: ['web', 'job'], noAttach: ['db'], noStart: false });
    expect((await upFlags('--attach-dependencies')).attachDependencies).toBe(true);
    expect((await upFlags()).pull).toBeUndefined();
  });

  it('takes compose --pull values: "policy" leaves pull_policy alone, if_not_present is missing', async () => {
    expect((await upFlags('--pull', 'policy')).pull).toBeUndefined();
    expect((await upFlags('--pull', 'if_not_present')).pull).toBe('missing');
    for (const p of ['always', 'missing', 'never', 'build'])
      expect((await upFlags('--pull', p)).pull).toBe(p);
    await expect(upFlags('--pull', 'sometimes')).rejects.toThrow(
      '--pull must be always, missing, never or build, got "sometimes"',
    );
  });

  it('refuses the combinations compose refuses, and --no-start with what needs a start', async () => {
    expect(await conflict('--attach', 'web', '--attach-dependencies')).toBe(
      '--attach and --attach-dependencies cannot be used together',
    );
    expect(await conflict('-d', '--attach', 'web')).toBe('--detach and --attach cannot be used together');
    expect(await conflict('-d', '--attach-dependencies')).toBe(
      '--detach and --attach-dependencies cannot be used together',
    );
    expect(await conflict('--wait', '--attach', 'web')).toBe('--wait and --attach cannot be used together');
    expect(await conflict('--no-start', '--wait')).toBe('--no-start and --wait cannot be used together');
    expect(await conflict('--no-start', '--exit-code-from', 'job')).toBe(
      '--no-start and --exit-code-from cannot be used together',
    );
    expect(await conflict('--no-start', '--attach', 'web')).toBe(
      '--no-start and --attach cannot be used together',
    );
    // compose lets these pass: -d and --no-attach change nothing when nothing starts
    expect(() =>
      checkUpConflicts(readUpFlags({ start: false, detach: true, noAttach: ['db'] })),
    ).not.toThrow();
    expect(() => checkUpConflicts(readUpFlags({ attach: ['web'], noAttach: ['web'] }))).not.toThrow();
  });
});

describe('which services attached up follows', () => {
  const follows = async (args: string[], services: string[] = []): Promise<string[]> =>
    attachedServices(stack(), await upFlags(...args), services);

  it('all services but those with attach: false when none are named', async () => {
    expect(await follows([])).toEqual(['db', 'job', 'web']);
  });

  it('only the named services; their dependencies with --attach-dependencies', async () => {
    expect(await follows([], ['web'])).toEqual(['web']);
    expect(await follows(['--attach-dependencies'], ['web'])).toEqual(['db', 'web']);
    expect(await follows(['--attach-dependencies', '--no-deps'], ['web'])).toEqual(['web']);
  });

  it('--attach names them outright, attach: false included; --no-attach takes away', async () => {
    expect(await follows(['--attach', 'log', '--attach', 'db'])).toEqual(['db', 'log']);
    expect(await follows(['--no-attach', 'web', '--no-attach', 'job'])).toEqual(['db']);
    expect(await follows(['--attach', 'db', '--no-attach', 'db'], ['web'])).toEqual([]);
  });

  it('refuses --attach outside this up and unknown services', async () => {
    await expect(follows(['--attach', 'job'], ['web'])).rejects.toThrow(
      'cannot attach to services not included in up: job',
    );
    await expect(follows(['--no-attach', 'nope'])).rejects.toThrow('no such service: nope');
  });
});

describe('up --no-start', () => {
  it('creates networks and containers but starts none; start then runs them', async () => {
    const rt = fresh();
    const io = capture();
    expect(await upCommand(rt, stack(), await upFlags('--no-start'), [], io)).toBe(0);
    expect(io.stdout).toBe('');
    expect(rt.opsOf('createNetwork').map((o) => o.target)).toEqual(['demo_default']);
    expect(await statuses(rt)).toEqual({
      'demo-db-1': 'created',
      'demo-job-1': 'created',
      'demo-log-1': 'created',
      'demo-web-1': 'created',
    });
    expect(rt.opsOf('startContainer')).toEqual([]);
    await startCommand(rt, stack(), { wait: false }, [], capture());
    expect(Object.values(await statuses(rt))).toEqual(['running', 'running', 'running', 'running']);
  });

  it('leaves stopped containers stopped and running ones running', async () => {
    const rt = fresh();
    expect(await upCommand(rt, stack(), await upFlags('-d'), [], capture())).toBe(0);
    rt.setState('demo-job-1', { status: 'exited', exitCode: 0 });
    expect(await upCommand(rt, stack(), await upFlags('--no-start'), [], capture())).toBe(0);
    expect(await statuses(rt)).toMatchObject({ 'demo-job-1': 'exited', 'demo-web-1': 'running' });
    expect(rt.opsOf('startContainer')).toHaveLength(4);
  });
});

describe('up --no-start, continued', () => {
  it('recreates a changed container without starting the replacement', async () => {
    const rt = fresh();
    expect(await upCommand(rt, stack(), await upFlags('-d'), ['job'], capture())).toBe(0);
    const changed = stack();
    changed.services.job = { ...changed.services.job!, environment: { MODE: 'new' } };
    expect(await upCommand(rt, changed, await upFlags('--no-start'), ['job'], capture())).toBe(0);
    expect(await statuses(rt)).toEqual({ 'demo-job-1': 'created' });
    expect(rt.opsOf('startContainer')).toHaveLength(1);
  });

  it('--dry-run prints creates and no start', async () => {
    const rt = fresh();
    expect(await upCommand(rt, stack(), await upFlags('-d'), ['db'], capture())).toBe(0);
    rt.setState('demo-db-1', { status: 'exited', exitCode: 0 });
    const io = capture();
    await upDryRun(rt, stack(), await upFlags('--no-start'), ['web'], io);
    expect(io.stdout).toContain('container demo-web-1: create\n');
    expect(io.stdout).not.toMatch(/start/);
  });
});

describe('up --pull', () => {
  it('overrides every pull_policy for this run', async () => {
    const rt = fresh();
    const p = stack();
    p.services.db = { ...p.services.db!, pull_policy: 'never' };
    rt.addImage('postgres:16');
    await upCommand(rt, p, await upFlags('-d', '--pull', 'always'), [], capture());
    // one look-up per image: log and job share busybox
    expect(rt.opsOf('ensureImage').map((o) => o.detail)).toEqual(['always', 'always', 'always']);
    expect(
      rt
        .opsOf('pull')
        .map((o) => o.target)
        .sort(),
    ).toEqual(['busybox:latest', 'nginx:1.25', 'postgres:16']);
  });

  it('--pull never fails on a missing image without pulling it', async () => {
    const rt = fresh();
    await expect(
      upCommand(rt, stack(), await upFlags('-d', '--pull', 'never'), ['db'], capture()),
    ).rejects.toThrow(/postgres:16 not found/);
    expect(rt.opsOf('pull')).toEqual([]);
  });
});

describe('attached up with --no-attach and attach: false', () => {
  it('shows no line of the services it does not follow', async () => {
    const rt = fresh();
    const now = Date.now();
    for (const s of ['db', 'web', 'log', 'job']) {
      rt.behave(s, { exitAfterMs: 40, exitCode: 0 });
      rt.say(`demo-${s}-1`, now + 1000, `hello from ${s}`);
    }
    const io = capture();
    expect(await upCommand(rt, stack(), await upFlags('--no-attach', 'job'), [], io)).toBe(0);
    expect(io.stdout).toMatch(/^Attaching to db-1, web-1\n/);
    expect(io.stdout).toContain('db-1   | hello from db\n');
    expect(io.stdout).toContain('web-1  | hello from web\n');
    expect(io.stdout).not.toMatch(/job|log/);
  });

  it('--attach follows an attach: false service', async () => {
    const rt = fresh();
    rt.behave('log', { exitAfterMs: 30, exitCode: 0 });
    rt.say('demo-log-1', Date.now() + 1000, 'chatty');
    const io = capture();
    expect(await upCommand(rt, stack(), await upFlags('--attach', 'log'), [], io)).toBe(0);
    expect(io.stdout).toBe('Attaching to log-1\nlog-1  | chatty\nlog-1 exited with code 0\n');
  });

  it('says so and returns when nothing is left to follow, leaving the containers running', async () => {
    const rt = fresh();
    const io = capture();
    expect(await upCommand(rt, stack(), await upFlags('--no-attach', 'job'), ['job'], io)).toBe(0);
    expect(io.stderr).toMatch(/^No service to attach to/);
    expect(await statuses(rt)).toEqual({ 'demo-job-1': 'running' });
  });
});

describe('run -p and --service-ports', () => {
  it('reads repeated -p, refuses bad ports and -p with --service-ports', async () => {
    const p = await parsed(['run', '-p', '8080:80', '-p', '127.0.0.1:53:53/udp', 'web', 'sh']);
    expect(p.args).toEqual(['web', 'sh']);
    expect(readRunFlags(p.opts, false, {}).publish).toEqual([
      { target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' },
      { target: 53, published: '53', host_ip: '127.0.0.1', protocol: 'udp', mode: 'ingress' },
    ]);
    expect(readRunFlags((await parsed(['run', '--service-ports', 'web'])).opts, false, {})).toMatchObject({
      servicePorts: true,
      publish: [],
    });
    expect(() => readRunFlags({ publish: ['80:x'] }, false, {})).toThrow(/--publish: invalid port "x"/);
    expect(() => readRunFlags({ publish: ['80'], servicePorts: true }, false, {})).toThrow(
      '--service-ports and --publish cannot be used together',
    );
    // -p before the command is run's; the global -p (project name) goes before `run`
    const g = await parsed(['-p', 'proj', 'run', '-p', '9000:90', 'web']);
    expect(g.opts.publish).toEqual(['9000:90']);
  });

  it("publishes none of the service's ports by default, the service's with --service-ports, -p's with -p", async () => {
    const rt = fresh();
    rt.behave('web', { exitAfterMs: 5, exitCode: 0 });
    const run = async (o: Record<string, unknown>): Promise<PortConfig[] | undefined> => {
      const before = new Set(rt.portsOf.keys());
      const flags = readRunFlags({ deps: false, rm: true, ...o }, false, {});
      expect(await runCommand(rt, stack(), flags, ['web'], capture())).toBe(0);
      const name = [...rt.portsOf.keys()].find((n) => !before.has(n));
      return name === undefined ? undefined : rt.portsOf.get(name);
    };
    expect(await run({})).toEqual([]);
    expect(await run({ servicePorts: true })).toEqual([port(80, '8080')]);
    expect(await run({ publish: ['9000:90'] })).toEqual([port(90, '9000')]);
  });
});
