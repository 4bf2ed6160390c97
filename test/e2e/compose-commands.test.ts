// docker compose's commands and flags that cmp lacked (issue #17 items 4-5, issue #20 item 22), through the
// binary on the embedded runtime: cp (both ways, -a, -L, a container's links resolved inside it), export,
// stats, attach, scale, volumes, push and image pull against the local registry, ps's Go templates and
// filters, global options after the command, and refused compose flags.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type TestRegistry } from '../setup/registry.js';
import { pushBusybox } from '../setup/images.js';
import { cleanupAfterEach, cmp, cmpSpawn, pollUntil, projectDir } from './helpers.js';

const { downAfter, later } = cleanupAfterEach();

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry();
  await pushBusybox(registry, 'cmds/busybox', { tag: '1' });
}, 60_000);
afterAll(async () => registry.stop());

function stack(): { dir: string; name: string; c: (args: string[]) => ReturnType<typeof cmp> } {
  const p = projectDir(`
services:
  app:
    image: ${registry.host}/cmds/busybox:1
    command: ['sleep', '1000']
    init: true
    volumes: [data:/data]
  worker:
    image: ${registry.host}/cmds/busybox:1
    command: ['sleep', '1000']
    init: true
volumes:
  data: {}
`);
  downAfter(p.dir, p.name);
  return { ...p, c: (args) => cmp(['-p', p.name, ...args], { cwd: p.dir }) };
}

// Each test brings a stack up and down: on a busy host that takes longer than the default 30 s.
describe('commands compose has, on the embedded runtime', { timeout: 180_000 }, () => {
  it('takes global options after the command, and ps prints Go templates and filters', async () => {
    const { name, c } = stack();
    const dry = await c(['up', '-d', '--dry-run', '--ansi', 'never', '--menu=false']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`container ${name}-app-1: create`);
    expect((await c(['ps', '-a', '-q'])).stdout).toBe('');
    const up = await c(['up', '-d', '--wait', '--quiet-pull']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).not.toMatch(/Pull/);
    expect((await c(['stop', '-t', '1', 'worker'])).code).toBe(0);
    const plain = await c(['ps', '-a', '--format', '{{.Name}} {{.Service}} {{.State}}']);
    expect(plain.stdout).toBe(`${name}-app-1 app running\n${name}-worker-1 worker exited\n`);
    const table = await c(['ps', '--format', 'table {{.Service}}\\t{{.State}}']);
    // docker's tabwriter: columns at least 10 wide with 3 spaces of padding
    expect(table.stdout).toBe('SERVICE   STATE\napp       running\n');
    const json = await c(['ps', '-a', '--filter', 'status=exited', '--format', '{{json .}}']);
    expect(JSON.parse(json.stdout)).toMatchObject({ Service: 'worker', State: 'exited' });
    const bad = await c(['ps', '--format', '{{.Nope}}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/no field "Nope"/);
  });

  it("cp copies both ways with -a and -L, resolving the container's links inside it", async () => {
    const { dir, c } = stack();
    expect((await c(['up', '-d', '--wait', 'app'])).code).toBe(0);
    const sh = (script: string) => c(['exec', '-T', 'app', 'sh', '-c', script]);
    const host = mkdtempSync(join(tmpdir(), 'cmp-cp-'));
    later(async () => rmSync(host, { recursive: true, force: true }));
    writeFileSync(join(host, 'in.txt'), 'from the host\n');
    execFileSync('chown', ['1234:1234', join(host, 'in.txt')]);

    // host → container: into a folder; owned by the container's root unless -a
    expect((await c(['cp', join(host, 'in.txt'), 'app:/data/'])).code).toBe(0);
    expect((await sh('cat /data/in.txt; stat -c %u /data/in.txt')).stdout).toBe('from the host\n0\n');
    expect((await c(['cp', '-a', join(host, 'in.txt'), 'app:/data/kept.txt'])).code).toBe(0);
    expect((await sh('stat -c %u /data/kept.txt')).stdout).toBe('1234\n');

    // container → host: a file under a new name, a folder's content with /.
    await sh('mkdir -p /tree/sub && echo a > /tree/a && echo b > /tree/sub/b && ln -s /tree/a /tree/link');
    expect((await c(['cp', 'app:/tree/a', join(host, 'a-copy')])).code).toBe(0);
    expect(readFileSync(join(host, 'a-copy'), 'utf8')).toBe('a\n');
    mkdirSync(join(host, 'tree'));
    expect((await c(['cp', 'app:/tree/.', join(host, 'tree')])).code).toBe(0);
    expect(readFileSync(join(host, 'tree/sub/b'), 'utf8')).toBe('b\n');
    // a link is copied as a link, or (-L) as what it points to
    expect((await c(['cp', 'app:/tree/link', join(host, 'as-link')])).code).toBe(0);
    expect(readlinkSync(join(host, 'as-link'))).toBe('/tree/a');
    expect((await c(['cp', '-L', 'app:/tree/link', join(host, 'followed')])).code).toBe(0);
    expect(lstatSync(join(host, 'followed')).isFile()).toBe(true);
    expect(readFileSync(join(host, 'followed'), 'utf8')).toBe('a\n');

    // The attack: links in the container that point at host paths. They are resolved in the container.
    const tag = randomBytes(4).toString('hex');
    const hostSecret = join(tmpdir(), `cmp-host-secret-${tag}`);
    writeFileSync(hostSecret, 'host only\n');
    later(async () => rmSync(hostSecret, { force: true }));
    await sh(`ln -s ${hostSecret} /tmp-secret && mkdir -p /etc && ln -s /etc /evil`);
    const read = await c(['cp', '-L', 'app:/tmp-secret', join(host, 'stolen')]);
    expect(read.code).not.toBe(0);
    expect(existsSync(join(host, 'stolen'))).toBe(false);
    writeFileSync(join(host, `planted-${tag}`), 'planted\n');
    expect((await c(['cp', join(host, `planted-${tag}`), 'app:/evil/'])).code).toBe(0);
    expect(existsSync(`/etc/planted-${tag}`)).toBe(false);
    expect((await sh(`cat /etc/planted-${tag}`)).stdout).toBe('planted\n');

    // wrong use: one line, non-zero
    const both = await c(['cp', join(host, 'in.txt'), join(host, 'x')]);
    expect(both.code).not.toBe(0);
    expect(both.stderr.trim().split('\n')).toHaveLength(1);
    void dir;
  });

  it("export writes the container's filesystem as a tar, without its volumes", async () => {
    const { c } = stack();
    expect((await c(['up', '-d', '--wait', 'app'])).code).toBe(0);
    await c(['exec', '-T', 'app', 'sh', '-c', 'echo made > /made-here && echo vol > /data/in-volume']);
    const out = join(mkdtempSync(join(tmpdir(), 'cmp-export-')), 'app.tar');
    later(async () => rmSync(out, { force: true }));
    const r = await c(['export', 'app', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const names = execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).split('\n');
    expect(names).toContain('./made-here');
    expect(names.some((n) => n.startsWith('./bin/'))).toBe(true);
    expect(names).not.toContain('./data/in-volume');
    expect(statSync(out).size).toBeGreaterThan(0);
  });

  it("stats reads the containers' cgroups and namespaces; --no-stream and --format json", async () => {
    const { name, c } = stack();
    expect((await c(['up', '-d', '--wait'])).code).toBe(0);
    const json = await c(['stats', '--no-stream', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows.map((r) => r.Name).sort()).toEqual([`${name}-app-1`, `${name}-worker-1`]);
    for (const r of rows) {
      expect(r.MemUsage).toMatch(/^[\d.]+[KMG]?i?B \/ [\d.]+[KMGT]iB$/);
      expect(r.CPUPerc).toMatch(/^\d+\.\d\d%$/);
      expect(r.NetIO).toMatch(/^[\d.]+[kMG]?B \/ [\d.]+[kMG]?B$/);
      expect(Number(r.PIDs)).toBeGreaterThanOrEqual(1);
    }
    // system df and info count what the runtime holds (host-wide: other projects' containers too)
    const df = (await c(['system', 'df', '--format', 'json'])).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(df.map((r) => r.Type)).toEqual(['Images', 'Containers', 'Local Volumes', 'Build Cache']);
    expect(Number(df[1]?.Active)).toBeGreaterThanOrEqual(2);
    expect(Number(df[2]?.TotalCount)).toBeGreaterThanOrEqual(1);
    const info = await c(['system', 'info']);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^Runtime: embedded/);
    expect(info.stdout).toMatch(/^runc: runc version/m);
    const table = await c(['stats', '--no-stream', 'app']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT/);
    expect(table.stdout).toContain(`${name}-app-1`);
  });

  it("scale sets the replica count; volumes lists the project's volumes", async () => {
    const { name, c } = stack();
    expect((await c(['up', '-d', '--wait'])).code).toBe(0);
    const scaled = await c(['scale', 'worker=2']);
    expect(scaled.code, scaled.stderr).toBe(0);
    const names = (await c(['ps', '--format', '{{.Name}}'])).stdout.trim().split('\n').sort();
    expect(names).toEqual([`${name}-app-1`, `${name}-worker-1`, `${name}-worker-2`]);
    const vols = await c(['volumes']);
    expect(vols.stdout).toBe(`DRIVER   VOLUME NAME\nlocal    ${name}_data\n`);
    expect((await c(['volumes', '-q', 'worker'])).stdout).toBe('');
  });

  it("attach shows a container's output until it ends", async () => {
    const { dir, name, c } = stack();
    expect((await c(['up', '-d', '--wait', 'app'])).code).toBe(0);
    const child = cmpSpawn(['-p', name, 'attach', 'app'], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const ended = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    // Lines written to the container's own output (its PID 1's) from now on reach attach.
    await pollUntil('attach to show the line', async () => {
      await c(['exec', '-T', 'app', 'sh', '-c', 'echo said-it > /proc/1/fd/1']);
      return out.includes('said-it');
    });
    expect((await c(['kill', 'app'])).code).toBe(0);
    expect(await ended).toBe(137);
  });

  it('push sends the images the project builds; image pull fetches one', async () => {
    const target = `${registry.host}/cmds/pushed:2`;
    const { dir, c } = (() => {
      const p = projectDir(`
services:
  built:
    build: .
    image: ${target}
  pulled:
    image: ${registry.host}/cmds/busybox:1
`);
      writeFileSync(join(p.dir, 'Dockerfile'), 'FROM scratch\n');
      return { ...p, c: (args: string[]) => cmp(['-p', p.name, ...args], { cwd: p.dir }) };
    })();
    void dir;
    expect((await c(['image', 'pull', `${registry.host}/cmds/busybox:1`])).stdout).toMatch(
      new RegExp(`${registry.host}/cmds/busybox:1\\n$`),
    );
    expect((await c(['image', 'tag', `${registry.host}/cmds/busybox:1`, target])).code).toBe(0);
    later(() => c(['image', 'rm', target]));
    const push = await c(['push']);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain(`Pushed ${target}`);
    expect(push.stderr).not.toContain('cmds/busybox');
    const tags = (await (await fetch(`${registry.url}/v2/cmds/pushed/tags/list`)).json()) as {
      tags: string[];
    };
    expect(tags.tags).toEqual(['2']);
    expect((await c(['image', 'rm', target])).code).toBe(0);
    const pulled = await c(['image', 'pull', '-q', target]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout).toBe(`${target}\n`);
  });

  it('run takes -v, -l, --cap-drop, --env-from-file and refuses --tty without a terminal', async () => {
    const { dir, name, c } = stack();
    const host = mkdtempSync(join(tmpdir(), 'cmp-run-'));
    later(async () => rmSync(host, { recursive: true, force: true }));
    writeFileSync(join(host, 'f'), 'mounted\n');
    writeFileSync(join(dir, 'vars.env'), 'A=from-file\nB=also-file\n');
    const r = await c([
      'run',
      '--rm',
      '-T',
      '-v',
      `${host}:/mnt:ro`,
      '--env-from-file',
      'vars.env',
      '-e',
      'B=from-flag',
      '--cap-drop',
      'ALL',
      'app',
      'sh',
      '-c',
      'cat /mnt/f; echo $A $B; grep CapEff /proc/self/status',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('mounted\nfrom-file from-flag\nCapEff:\t0000000000000000\n');
    const d = await c(['run', '-d', '-l', 'team=blue', 'app', 'sleep', '100']);
    expect(d.code, d.stderr).toBe(0);
    const labels = await c(['ps', '-a', '--format', '{{.Name}} {{.Labels}}']);
    const line = labels.stdout.split('\n').find((l) => l.startsWith(`${name}-app-run-`)) ?? '';
    expect(line).toContain('team=blue');
    const tty = await c(['run', '--rm', '--tty', 'app', 'true']);
    expect(tty.code).toBe(1);
    expect(tty.stderr).toBe('the input device is not a TTY (leave out --tty, or use -T)\n');
    // compose's cobra form of the same request.
    const noTtyFalse = await c(['run', '--rm', '--no-TTY=false', 'app', 'true']);
    expect(noTtyFalse.code).toBe(1);
    expect(noTtyFalse.stderr).toBe(tty.stderr);
  });

  it('refuses a compose flag cmp does not have in one line, before doing anything', async () => {
    const { c } = stack();
    const r = await c(['up', '-d', '--parallel', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      '--parallel is not supported by cmp: cmp bounds its own parallelism (leave it out)\n',
    );
    expect((await c(['ps', '-a', '-q'])).stdout).toBe('');
  });
});
