// `cmp image|network|volume` through the built binary, against the embedded runtime. Image tests use a
// private state root (prune there cannot touch anyone else's images); network and volume tests use the
// shared one (the nftables table is rendered from it) and only prune what carries their own label.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertNoLeaks } from '../setup/leaks.js';
import { startRegistry, type TestRegistry } from '../setup/registry.js';
import { whiteoutImage, writeDockerSaveTar } from '../setup/images.js';
import { cmp, pollUntil, projectDir } from './helpers.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
  await assertNoLeaks();
});
afterAll(assertNoLeaks);

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

function jsonLines<T>(text: string): T[] {
  return lines(text).map((l) => JSON.parse(l) as T);
}

function du(path: string): number {
  return Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
}

/** A state and run root of its own, removed after the test. */
function privateRoots(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-res-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return { dir, env: { CMP_STATE_ROOT: join(dir, 'state'), CMP_RUN_ROOT: join(dir, 'run') } };
}

interface LsRow {
  Repository: string;
  Tag: string;
  ID: string;
  Digest: string;
  FullID: string;
}

interface ImageInspectJson {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  RootFS: { Layers: string[] };
  Config: { Cmd?: string[] };
}

describe('cmp image', () => {
  it('loads, lists, inspects, tags, saves and removes; a saved archive loads back with its tags', async () => {
    const { dir, env } = privateRoots();
    const tarFile = join(dir, 'bb.tar');
    await writeDockerSaveTar(tarFile, { tags: ['cmp-test/res:1'] });
    const run = (args: string[]) => cmp(args, { cwd: dir, env });

    expect((await run(['image', 'load', tarFile])).stdout).toBe('Loaded image: cmp-test/res:1\n');
    expect((await run(['image', 'tag', 'cmp-test/res:1', 'cmp-test/res:2'])).code).toBe(0);
    const rows = jsonLines<LsRow>((await run(['image', 'ls', '--format', 'json'])).stdout);
    expect(rows.map((r) => `${r.Repository}:${r.Tag}`).sort()).toEqual(['cmp-test/res:1', 'cmp-test/res:2']);
    expect(new Set(rows.map((r) => r.ID)).size).toBe(1);
    expect(lines((await run(['image', 'ls', '-q'])).stdout)).toHaveLength(1);

    const insp = await run(['image', 'inspect', 'cmp-test/res:2']);
    expect(insp.code).toBe(0);
    const [obj] = JSON.parse(insp.stdout) as ImageInspectJson[];
    expect(obj?.Id).toBe(rows[0]?.FullID);
    expect(obj?.RepoTags.sort()).toEqual(['cmp-test/res:1', 'cmp-test/res:2']);
    expect(obj?.RootFS.Layers).toHaveLength(1);
    const missing = await run(['image', 'inspect', 'cmp-test/nope:1']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No such image: cmp-test/nope:1');

    const saved = join(dir, 'saved.tar');
    const save = await run(['image', 'save', '-o', saved, 'cmp-test/res:1', 'cmp-test/res:2']);
    expect(save.stderr).toBe('');
    expect(save.code).toBe(0);
    expect(execFileSync('tar', ['-tf', saved], { encoding: 'utf8' })).toContain('manifest.json');

    expect((await run(['image', 'rm', 'cmp-test/res:1', 'cmp-test/res:2'])).code).toBe(0);
    expect((await run(['image', 'ls', '-q'])).stdout).toBe('');
    const reload = await run(['image', 'load', saved]);
    expect(reload.code).toBe(0);
    expect(lines(reload.stdout).sort()).toEqual([
      'Loaded image: cmp-test/res:1',
      'Loaded image: cmp-test/res:2',
    ]);
    const again = JSON.parse(
      (await run(['image', 'inspect', 'cmp-test/res:1'])).stdout,
    ) as ImageInspectJson[];
    expect(again[0]?.Config.Cmd).toEqual(obj?.Config.Cmd);
  });

  it('saves whiteouts and opaque directories back as .wh. entries that load again', async () => {
    const { dir, env } = privateRoots();
    const run = (args: string[]) => cmp(args, { cwd: dir, env });
    const tarFile = join(dir, 'wh.tar');
    await writeDockerSaveTar(tarFile, {
      tags: ['cmp-test/wh:1'],
      image: await whiteoutImage({ compression: 'none' }),
    });
    expect((await run(['image', 'load', tarFile])).code).toBe(0);
    const saved = join(dir, 'wh-saved.tar');
    expect((await run(['image', 'save', '-o', saved, 'cmp-test/wh:1'])).code).toBe(0);
    const unpacked = join(dir, 'unpacked');
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('tar', ['-xf', saved, '-C', unpacked]);
    const names = execFileSync('sh', ['-c', `for f in ${unpacked}/*/layer.tar; do tar -tf "$f"; done`], {
      encoding: 'utf8',
    });
    expect(names).toMatch(/(^|\n)etc\/\.wh\.hidden\n/);
    expect(names).toMatch(/(^|\n)d\/\.wh\.\.wh\.\.opq\n/);
    expect((await run(['image', 'rm', 'cmp-test/wh:1'])).code).toBe(0);
    expect((await run(['image', 'load', saved])).stdout).toBe('Loaded image: cmp-test/wh:1\n');
  });

  it('prune drops dangling images and frees the store; -a drops unused tagged ones too', async () => {
    const { dir, env } = privateRoots();
    const run = (args: string[]) => cmp(args, { cwd: dir, env });
    const untagged = join(dir, 'untagged.tar');
    await writeDockerSaveTar(untagged, { tags: [] });
    const tagged = join(dir, 'tagged.tar');
    await writeDockerSaveTar(tagged, {
      tags: ['cmp-test/keep:1'],
      image: await whiteoutImage({ compression: 'none' }),
    });
    expect((await run(['image', 'load', untagged])).stdout).toMatch(/^Loaded image ID: sha256:/);
    expect((await run(['image', 'load', tagged])).code).toBe(0);
    const store = join(dir, 'state', 'images');
    const before = du(store);

    const dangling = await run(['image', 'ls', '--filter', 'dangling=true', '-q']);
    expect(lines(dangling.stdout)).toHaveLength(1);
    const pruned = await run(['image', 'prune', '-f']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/^Deleted Images:\ndeleted: sha256:[0-9a-f]{64}\n/);
    expect(pruned.stdout).toMatch(/Total reclaimed space: \d+(\.\d+)?[kM]B\n$/);
    // The whiteout image shares the busybox layer, so only the dangling image's own files go.
    expect(du(store)).toBeLessThan(before);
    expect(lines((await run(['image', 'ls', '-q'])).stdout)).toHaveLength(1);

    const all = await run(['image', 'prune', '-a', '-f']);
    expect(all.stdout).toContain('untagged: cmp-test/keep:1');
    expect((await run(['image', 'ls', '-q'])).stdout).toBe('');
    expect(du(store)).toBeLessThan(before / 10);
    expect((await run(['image', 'prune', '-f'])).stdout).toBe('Total reclaimed space: 0B\n');
  });

  describe('push', () => {
    let registry: TestRegistry;
    beforeAll(async () => {
      registry = await startRegistry();
    });
    afterAll(async () => registry?.stop());

    it('pushes to a registry; pulling it back by digest gives the same digest', async () => {
      const { dir, env } = privateRoots();
      const run = (args: string[], e = env) => cmp(args, { cwd: dir, env: e });
      const tarFile = join(dir, 'bb.tar');
      await writeDockerSaveTar(tarFile, { tags: ['cmp-test/push:1'] });
      expect((await run(['image', 'load', tarFile])).code).toBe(0);
      const target = `${registry.host}/cmp/pushed:v1`;
      expect((await run(['image', 'tag', 'cmp-test/push:1', target])).code).toBe(0);
      const push = await run(['image', 'push', target]);
      expect(push.stderr).toBe('');
      expect(push.code).toBe(0);
      expect(push.stdout).toContain(`The push refers to repository [${registry.host}/cmp/pushed]`);
      expect(push.stdout).toMatch(/[0-9a-f]{12}: Pushed\n/);
      const digest = /v1: digest: (sha256:[0-9a-f]{64}) size: \d+/.exec(push.stdout)?.[1];
      expect(digest).toBeDefined();
      const second = await run(['image', 'push', target]);
      expect(second.stdout).toContain('Layer already exists');
      expect(second.stdout).toContain(`v1: digest: ${digest}`);
      // Like docker, the pushing store now knows the image by the registry's digest too.
      const mine = await run(['image', 'inspect', target]);
      expect((JSON.parse(mine.stdout) as ImageInspectJson[])[0]?.RepoDigests).toEqual([
        `${registry.host}/cmp/pushed@${digest}`,
      ]);

      // A fresh store pulls it back by digest through a compose project.
      const other = privateRoots();
      const proj = projectDir(`services:\n  app:\n    image: ${registry.host}/cmp/pushed@${digest}\n`);
      const pull = await cmp(['-p', proj.name, 'pull'], { cwd: proj.dir, env: other.env });
      expect(pull.code).toBe(0);
      const ls = await cmp(['image', 'ls', '--digests'], { cwd: proj.dir, env: other.env });
      expect(ls.stdout).toMatch(/^REPOSITORY\s+TAG\s+DIGEST\s+IMAGE ID\s+SIZE\n/);
      expect(ls.stdout).toContain(digest);
      const insp = await cmp(['image', 'inspect', `${registry.host}/cmp/pushed@${digest}`], {
        cwd: proj.dir,
        env: other.env,
      });
      expect((JSON.parse(insp.stdout) as ImageInspectJson[])[0]?.RepoDigests).toContain(
        `${registry.host}/cmp/pushed@${digest}`,
      );
    });
  });

  it('says to use the docker CLI with --runtime docker', async () => {
    const { dir, env } = privateRoots();
    for (const group of ['image', 'network', 'volume']) {
      const r = await cmp(['--runtime', 'docker', group, 'ls'], { cwd: dir, env });
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toHaveLength(1);
      expect(r.stderr).toContain(`docker ${group}`);
    }
  });
});

const HOST = `
x-cmp-host: &host
  x-cmp:
    host_rootfs: true
  init: true
`;

describe('cmp volume', () => {
  it('creates, lists, inspects, refuses to remove a volume in use, removes and prunes', async () => {
    const tag = `cmp.test.res=${randomBytes(4).toString('hex')}`;
    const vol = `cmpres${randomBytes(4).toString('hex')}`;
    const spare = `${vol}-spare`;
    const { dir, name } = projectDir(`${HOST}
services:
  holder:
    <<: *host
    command: ['sleep', '1000']
    volumes: [data:/data]
volumes:
  data:
    external: true
    name: ${vol}
`);
    const run = (args: string[]) => cmp(args, { cwd: dir });
    cleanups.push(() => run(['volume', 'rm', vol, spare]));
    cleanups.push(() => run(['-p', name, 'down', '-t', '1']));

    expect((await run(['volume', 'create', '--label', tag, vol])).stdout).toBe(`${vol}\n`);
    expect((await run(['volume', 'create', '--label', tag, spare])).code).toBe(0);
    expect(lines((await run(['volume', 'ls', '-q', '--filter', `label=${tag}`])).stdout).sort()).toEqual(
      [vol, spare].sort(),
    );
    const json = jsonLines<{ Name: string; Driver: string; Labels: string; Mountpoint: string }>(
      (await run(['volume', 'ls', '--format', 'json', '--filter', `name=${vol}`])).stdout,
    );
    expect(json.find((v) => v.Name === vol)).toMatchObject({ Driver: 'local', Labels: tag });
    const table = (await run(['volume', 'ls'])).stdout;
    expect(table).toMatch(/^DRIVER\s+VOLUME NAME\n/);
    expect(table).toMatch(new RegExp(`\\nlocal\\s+${vol}\\n`));
    const [insp] = JSON.parse((await run(['volume', 'inspect', vol])).stdout) as {
      Name: string;
      Labels: Record<string, string>;
      Mountpoint: string;
      Scope: string;
    }[];
    expect(insp).toMatchObject({
      Name: vol,
      Scope: 'local',
      Labels: { [tag.split('=')[0] ?? '']: tag.split('=')[1] },
    });

    const up = await run(['-p', name, 'up', '-d']);
    expect(up.code).toBe(0);
    const refused = await run(['volume', 'rm', vol]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`volume ${vol} is in use by container ${name}-holder-1`);
    const prunedInUse = await run(['volume', 'prune', '-a', '-f', '--filter', `label=${tag}`]);
    expect(lines(prunedInUse.stdout)).toContain(spare);
    expect(lines(prunedInUse.stdout)).not.toContain(vol);
    expect(prunedInUse.stdout).toMatch(/Total reclaimed space: /);
    expect((await run(['-p', name, 'down', '-t', '1'])).code).toBe(0);
    expect((await run(['volume', 'rm', vol])).stdout).toBe(`${vol}\n`);
    expect((await run(['volume', 'ls', '-q', '--filter', `label=${tag}`])).stdout).toBe('');
  });
});

interface NetInspect {
  Name: string;
  Id: string;
  Driver: string;
  Internal: boolean;
  Labels: Record<string, string>;
  IPAM: { Config: { Subnet: string; Gateway: string; IPRange?: string }[] };
  Containers: Record<string, { Name: string; IPv4Address: string }>;
}

function randomSubnet(): { subnet: string; gateway: string; range: string; base: string } {
  const b = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}`;
  return { subnet: `${b}.0/24`, gateway: `${b}.254`, range: `${b}.128/25`, base: b };
}

describe('cmp network', () => {
  it('creates with subnet, range, gateway, internal and labels; lists, inspects, removes and prunes', async () => {
    const tag = `cmp.test.res=${randomBytes(4).toString('hex')}`;
    const net = `cmpres${randomBytes(4).toString('hex')}`;
    const spare = `${net}-spare`;
    const dir = mkdtempSync(join(tmpdir(), 'cmp-res-net-'));
    const run = (args: string[]) => cmp(args, { cwd: dir });
    cleanups.push(() => run(['network', 'rm', net, spare]));
    const { subnet, gateway, range } = randomSubnet();
    const made = await run([
      'network',
      'create',
      '--driver',
      'bridge',
      '--subnet',
      subnet,
      '--ip-range',
      range,
      '--gateway',
      gateway,
      '--internal',
      '--label',
      tag,
      net,
    ]);
    expect(made.stderr).toBe('');
    expect(made.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect((await run(['network', 'create', '--label', tag, spare])).code).toBe(0);
    const dup = await run(['network', 'create', net]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');

    const ls = await run(['network', 'ls']);
    expect(ls.stdout).toMatch(/^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE\n/);
    expect(ls.stdout).toMatch(new RegExp(`\\n${made.stdout.slice(0, 12)}\\s+${net}\\s+bridge\\s+local\\n`));
    const q = lines((await run(['network', 'ls', '-q', '--filter', `label=${tag}`])).stdout);
    expect(q).toHaveLength(2);
    const json = jsonLines<{ Name: string; Internal: string; Labels: string }>(
      (await run(['network', 'ls', '--format', 'json', '--filter', `name=${net}`])).stdout,
    );
    expect(json.find((n) => n.Name === net)).toMatchObject({ Internal: 'true', Labels: tag });
    const [insp] = JSON.parse((await run(['network', 'inspect', net])).stdout) as NetInspect[];
    expect(insp).toMatchObject({ Name: net, Id: made.stdout.trim(), Driver: 'bridge', Internal: true });
    expect(insp?.IPAM.Config[0]).toEqual({ Subnet: subnet, Gateway: gateway, IPRange: range });
    // The bridge exists with the gateway address.
    const addr = execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' });
    expect(addr).toContain(`inet ${gateway}/24`);

    const pruned = await run(['network', 'prune', '-f', '--filter', `label=${tag}`]);
    expect(lines(pruned.stdout)[0]).toBe('Deleted Networks:');
    expect(lines(pruned.stdout).slice(1).sort()).toEqual([net, spare].sort());
    expect(lines((await run(['network', 'ls', '-q', '--filter', `label=${tag}`])).stdout)).toHaveLength(0);
    expect(execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' })).not.toContain(
      `inet ${gateway}/24`,
    );
    const gone = await run(['network', 'rm', net]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`no such network: ${net}`);
  });

  it('connects a running container: its alias resolves at once, and stops resolving after disconnect', async () => {
    const net = `cmpres${randomBytes(4).toString('hex')}`;
    const { subnet, gateway } = randomSubnet();
    const { dir, name } = projectDir(`${HOST}
services:
  a:
    <<: *host
    command: ['sleep', '1000']
  b:
    <<: *host
    command: ['sleep', '1000']
`);
    const run = (args: string[]) => cmp(args, { cwd: dir });
    cleanups.push(() => run(['network', 'rm', net]));
    cleanups.push(() => run(['-p', name, 'down', '-t', '1']));
    expect((await run(['network', 'create', '--subnet', subnet, '--gateway', gateway, net])).code).toBe(0);
    expect((await run(['-p', name, 'up', '-d', '--wait'])).code).toBe(0);
    const a = `${name}-a-1`;
    const b = `${name}-b-1`;
    const lookup = async (what: string): Promise<string[]> => {
      const r = await run(['-p', name, 'exec', '-T', 'b', 'busybox', 'nslookup', '-type=a', what, gateway]);
      const answer = r.stdout
        .split(/Name:\s/)
        .slice(1)
        .join('\n');
      return [...answer.matchAll(/Address:\s*([0-9.]+)/g)].map((m) => m[1] ?? '');
    };

    expect((await run(['network', 'connect', net, b])).code).toBe(0);
    const before = await lookup('xalias');
    expect(before).toEqual([]);
    const conn = await run([
      'network',
      'connect',
      '--ip',
      `${subnet.slice(0, -4)}77`,
      '--alias',
      'xalias',
      net,
      a,
    ]);
    expect(conn.stderr).toBe('');
    expect(conn.code).toBe(0);
    const t0 = Date.now();
    const ips = await pollUntil('xalias to resolve', async () => {
      const got = await lookup('xalias');
      return got.length > 0 ? got : undefined;
    });
    expect(Date.now() - t0).toBeLessThan(1000 + 2000); // one lookup through cmp exec costs time of its own
    expect(ips).toEqual([`${subnet.slice(0, -4)}77`]);
    // The container name answers on every network the asker shares with it, the new one included.
    expect(await lookup(a)).toContain(`${subnet.slice(0, -4)}77`);

    const [insp] = JSON.parse((await run(['network', 'inspect', net])).stdout) as NetInspect[];
    expect(
      Object.values(insp?.Containers ?? {})
        .map((c) => c.Name)
        .sort(),
    ).toEqual([a, b].sort());
    const refused = await run(['network', 'rm', net]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`network ${net} has active endpoints`);
    expect(refused.stderr).toContain(a);
    // The container itself reaches its new network's gateway over the new interface.
    const ping = await run(['-p', name, 'exec', '-T', 'a', 'busybox', 'ping', '-c', '1', '-W', '2', gateway]);
    expect(ping.code).toBe(0);

    expect((await run(['network', 'disconnect', net, a])).code).toBe(0);
    await pollUntil('xalias to stop resolving', async () => (await lookup('xalias')).length === 0);
    expect(await lookup(a)).not.toContain(`${subnet.slice(0, -4)}77`);
    expect((await run(['network', 'disconnect', net, b])).code).toBe(0);
    expect((await run(['-p', name, 'down', '-t', '1'])).code).toBe(0);
    expect((await run(['network', 'rm', net])).stdout).toBe(`${net}\n`);
  });
});
