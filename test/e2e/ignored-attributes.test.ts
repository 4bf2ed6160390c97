// Attributes the chosen runtime accepts but does not apply are named, one line per service and key with
// file:line, by `up`, `up --dry-run` and `cmp lint`, on both runtimes (issue #16).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, cmp, projectDir } from './helpers.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage, ensureDockerd } from '../setup/dockerd.js';

const { later } = cleanupAfterEach();

const FILE = `services:
  web:
    image: ${BUSYBOX_IMAGE}
    command: ['sleep', '1000']
    init: true
    pid: host
    cpu_shares: 512
`;

const PID =
  /^WARN compose\.yaml:6:5: web: pid is accepted but not applied by the embedded runtime .*\(fix: remove pid from web, or run it with --runtime docker\)$/m;
const CPU = (runtime: string): RegExp =>
  new RegExp(
    `^WARN compose\\.yaml:7:5: web: cpu_shares is accepted but not applied by the ${runtime} runtime`,
    'm',
  );

function warnLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('WARN '));
}

describe('attributes a runtime does not apply', () => {
  it('are named by up --dry-run and lint, for the runtime chosen', async () => {
    await ensureDockerd();
    await ensureBusyboxImage();
    const { dir, name } = projectDir(FILE);
    const embedded = await cmp(['-p', name, '--dry-run', 'up', '-d'], { cwd: dir });
    expect(embedded.code).toBe(0);
    expect(embedded.stderr).toMatch(PID);
    expect(embedded.stderr).toMatch(CPU('embedded'));
    expect(warnLines(embedded.stderr)).toHaveLength(2);
    const docker = await cmp(['--runtime', 'docker', '-p', name, '--dry-run', 'up', '-d'], { cwd: dir });
    expect(docker.code).toBe(0);
    expect(docker.stderr).toMatch(CPU('docker'));
    expect(warnLines(docker.stderr)).toHaveLength(1); // docker applies pid: host
    for (const runtime of ['embedded', 'docker']) {
      const lint = await cmp(['--runtime', runtime, 'lint'], { cwd: dir });
      expect(lint.stdout).toMatch(
        new RegExp(
          `^compose\\.yaml:7:5: warning ignored-by-runtime: web: cpu_shares is accepted but not applied by the ${runtime} runtime`,
          'm',
        ),
      );
      expect(lint.stdout.includes('pid is accepted')).toBe(runtime === 'embedded');
    }
  });

  it('are named by a real up on the embedded runtime', async () => {
    const { dir } = projectDir(
      `x-cmp-host: &host\n  x-cmp: { host_rootfs: true }\n${FILE.replace(`image: ${BUSYBOX_IMAGE}`, '<<: *host')}`,
    );
    const name = `ignored${randomBytes(3).toString('hex')}`;
    later(() => cmp(['-p', name, 'down', '-t', '1'], { cwd: dir }));
    const up = await cmp(['-p', name, 'up', '-d'], { cwd: dir });
    expect(up.code).toBe(0);
    expect(up.stderr).toMatch(
      /^WARN compose\.yaml:8:5: web: pid is accepted but not applied by the embedded runtime/m,
    );
    expect(warnLines(up.stderr)).toHaveLength(2);
  });

  it('are named by a real up on the docker runtime', async () => {
    await ensureDockerd();
    await ensureBusyboxImage();
    const { dir } = projectDir(FILE);
    const name = `ignoredd${randomBytes(3).toString('hex')}`;
    later(() => cmp(['--runtime', 'docker', '-p', name, 'down', '-t', '1'], { cwd: dir }));
    const up = await cmp(['--runtime', 'docker', '-p', name, 'up', '-d'], { cwd: dir });
    expect(up.code).toBe(0);
    expect(up.stderr).toMatch(CPU('docker'));
    expect(warnLines(up.stderr)).toHaveLength(1);
  });
});
