// What an ordinary local user can reach of cmp's files: nothing. A user made here with useradd tries to
// read a container's environment from its record, list its root filesystem, read its rendered secret,
// its bundle and its log, through the `cmp` binary's own state and run roots; every try is refused.
// A container running as a non-root `user:` still reads its secret, with the owner and mode compose set.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoLeaks } from '../setup/leaks.js';
import { cmp, projectDir } from './helpers.js';

const USER = `cmpprobe${randomBytes(2).toString('hex')}`;
const SECRET = `s3cret-${randomBytes(6).toString('hex')}`;
// Roots of this test's own, under a folder anyone may enter (as /var/lib and /run are), made by cmp.
const base = mkdtempSync(join(tmpdir(), 'cmp-local-user-'));
chmodSync(base, 0o755);
const env = { CMP_STATE_ROOT: join(base, 'state'), CMP_RUN_ROOT: join(base, 'run') };
let madeUser = false;

const { dir, name } = projectDir(`
services:
  app:
    x-cmp: { host_rootfs: true }
    init: true
    network_mode: none
    user: '4321:4321'
    environment:
      DB_PASSWORD: ${SECRET}
    secrets:
      - source: token
        uid: '4321'
        gid: '4321'
        mode: 0400
    command: ['sh', '-c', 'echo "log line $$DB_PASSWORD"; exec sleep 1000']
secrets:
  token:
    environment: DB_PASSWORD
`);

const c = (args: string[]) => cmp(['-p', name, ...args], { cwd: dir, env: { ...env, DB_PASSWORD: SECRET } });

/** Runs a shell line as the probe user; its exit code and everything it printed. */
function asUser(line: string): { code: number; out: string } {
  const r = spawnSync('runuser', ['-u', USER, '--', 'sh', '-c', line], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

beforeAll(async () => {
  if (spawnSync('id', [USER]).status !== 0) {
    const add = spawnSync('useradd', ['--no-create-home', '--shell', '/bin/sh', USER], { encoding: 'utf8' });
    expect(add.status, add.stderr).toBe(0);
    madeUser = true;
  }
  const up = await c(['up', '-d']);
  expect(up.code, up.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await c(['down', '-t', '1']);
  if (madeUser) spawnSync('userdel', [USER]);
  rmSync(base, { recursive: true, force: true });
  await assertNoLeaks();
}, 120_000);

describe('a local non-root user', () => {
  it('reads no record, secret, bundle, log or root filesystem of a container', async () => {
    const short = (await c(['ps', '-q', 'app'])).stdout.trim();
    expect(short).toMatch(/^[0-9a-f]{12,64}$/);
    const id = readdirSync(join(env.CMP_STATE_ROOT, 'containers')).find((d) => d.startsWith(short)) ?? '';
    const state = join(env.CMP_STATE_ROOT, 'containers', id);
    const bundle = join(env.CMP_RUN_ROOT, 'containers', id);
    const tries = {
      grepState: asUser(`grep -r ${SECRET} ${env.CMP_STATE_ROOT}`),
      grepRun: asUser(`grep -r ${SECRET} ${env.CMP_RUN_ROOT}`),
      record: asUser(`cat ${join(state, 'meta.json')}`),
      secrets: asUser(`cat ${join(state, 'files')}/*/*`),
      log: asUser(`cat ${join(state, 'ctr.log')}`),
      config: asUser(`cat ${join(bundle, 'config.json')}`),
      rootfs: asUser(`ls ${join(bundle, 'rootfs')}`),
    };
    for (const [what, r] of Object.entries(tries)) {
      expect(r.out, what).not.toContain(SECRET);
      expect(r.code, `${what}: ${r.out}`).not.toBe(0);
    }
    // The roots are the owner's alone.
    for (const root of [env.CMP_STATE_ROOT, env.CMP_RUN_ROOT])
      expect(statSync(root).mode & 0o777).toBe(0o700);
  });

  it('does not stop the container user from reading its secret, owned and moded as compose says', async () => {
    const r = await c([
      'exec',
      '-T',
      'app',
      'sh',
      '-c',
      'id -u; stat -c "%u %g %a" /run/secrets/token; cat /run/secrets/token',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`4321\n4321 4321 400\n${SECRET}`);
  });

  it('tightens the roots of an install made before, on the next command', async () => {
    // As an earlier cmp left them: everything 0755.
    for (const d of [env.CMP_STATE_ROOT, env.CMP_RUN_ROOT, join(env.CMP_STATE_ROOT, 'containers')]) {
      chmodSync(d, 0o755);
    }
    expect(asUser(`ls ${join(env.CMP_STATE_ROOT, 'containers')}`).code).toBe(0);
    expect((await c(['ps'])).code).toBe(0);
    for (const root of [env.CMP_STATE_ROOT, env.CMP_RUN_ROOT])
      expect(statSync(root).mode & 0o777).toBe(0o700);
    expect(asUser(`ls ${join(env.CMP_STATE_ROOT, 'containers')}`).code).not.toBe(0);
  });
});
