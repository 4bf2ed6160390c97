// configs, secrets and extra_hosts host-gateway through the `cmp` binary, on the embedded runtime.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, cmp, projectDir } from './helpers.js';

const { downAfter } = cleanupAfterEach();

describe('configs and secrets on the embedded runtime', () => {
  it('a host-rootfs service reads its secret, its config at /etc/app.conf and host-gateway in /etc/hosts', async () => {
    // The config must come from cmp, not from the host.
    expect(existsSync('/etc/app.conf')).toBe(false);
    const { dir, name } = projectDir(`
services:
  svc:
    x-cmp:
      host_rootfs: true
    configs:
      - source: app
        target: /etc/app.conf
    secrets: [x, token]
    extra_hosts: ['host.docker.internal:host-gateway']
configs:
  app:
    content: "greeting=hello\\n"
secrets:
  x:
    file: ./x.txt
  token:
    environment: TOKEN
`);
    writeFileSync(join(dir, 'x.txt'), 'secret-from-file\n');
    writeFileSync(join(dir, '.env'), 'TOKEN=from-dotenv\n');
    downAfter(dir, name);

    const secret = await cmp(['-p', name, 'run', '--rm', '-T', 'svc', 'cat', '/run/secrets/x'], { cwd: dir });
    expect(secret.stderr).toBe('');
    expect(secret.stdout).toBe('secret-from-file\n');
    expect(secret.code).toBe(0);

    const rest = await cmp(
      [
        '-p',
        name,
        'run',
        '--rm',
        '-T',
        'svc',
        'sh',
        '-c',
        'cat /etc/app.conf /run/secrets/token; echo; grep host.docker.internal /etc/hosts',
      ],
      { cwd: dir },
    );
    expect(rest.code).toBe(0);
    const net = await cmp(['network', 'inspect', `${name}_default`], { cwd: dir });
    expect(net.code).toBe(0);
    const [info] = JSON.parse(net.stdout) as Array<{ IPAM: { Config: Array<{ Gateway: string }> } }>;
    const gateway = info?.IPAM.Config[0]?.Gateway;
    expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(rest.stdout).toBe(`greeting=hello\nfrom-dotenv\n${gateway}\thost.docker.internal\n`);
    expect(existsSync('/etc/app.conf')).toBe(false);
  });
});
