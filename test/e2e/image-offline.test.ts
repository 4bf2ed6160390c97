// Getting an image without a registry, through the `cmp` binary: `cmp image load` reads a tar from stdin
// as `docker load` does, and a registry that cannot be reached gives one line naming the image and the
// ways around it. Each test uses a state root of its own: only the image store is touched.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CMP_BIN, cmp, freePort, type CmpResult } from './helpers.js';
import { writeDockerSaveTar } from '../setup/images.js';
import { BUSYBOX_IMAGE, DOCKER_SOCKET, ensureBusyboxImage, ensureDockerd } from '../setup/dockerd.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function stateRoot(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-e2e-images-'));
  roots.push(dir);
  return { dir, env: { CMP_STATE_ROOT: join(dir, 'state') } };
}

/** `producer | cmp args...`: the producer's stdout is cmp's stdin. */
function piped(producer: [string, string[]], args: string[], env: NodeJS.ProcessEnv): Promise<CmpResult> {
  return new Promise((resolve) => {
    const src = spawn(producer[0], producer[1], { stdio: ['ignore', 'pipe', 'inherit'] });
    const child = spawn(process.execPath, [CMP_BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: [src.stdout, 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe('images offline', () => {
  it('image load reads a docker save tar from stdin, and -i/--input a file', async () => {
    await ensureDockerd();
    await ensureBusyboxImage();
    const { dir, env } = stateRoot();
    const fromDocker = await piped(
      ['docker', ['-H', `unix://${DOCKER_SOCKET}`, 'save', BUSYBOX_IMAGE]],
      ['image', 'load'],
      env,
    );
    expect(fromDocker.stderr).toBe('');
    expect(fromDocker.code).toBe(0);
    expect(fromDocker.stdout).toBe(`Loaded image: ${BUSYBOX_IMAGE}\n`);

    const tar = join(dir, 'other.tar');
    await writeDockerSaveTar(tar, { tags: ['cmp-test/busybox:from-file'] });
    const fromCat = await piped(['cat', [tar]], ['image', 'load', '-q'], env);
    expect(fromCat.code, fromCat.stderr).toBe(0);
    const fromFile = await cmp(['image', 'load', '--input', tar], { cwd: dir, env });
    expect(fromFile.stdout).toBe('Loaded image: cmp-test/busybox:from-file\n');
    const ls = await cmp(['image', 'ls', '--format', 'json'], { cwd: dir, env });
    expect(ls.stdout).toContain('"Tag":"from-file"');

    const empty = await piped(['true', []], ['image', 'load'], env);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toContain('requested load from stdin, but stdin is empty');
  });

  it('an unreachable registry names the image and suggests image load, a local registry or host_rootfs', async () => {
    const { dir, env } = stateRoot();
    // A loopback port nothing listens on: refused, as with no network at all.
    const port = await freePort();
    const image = `127.0.0.1:${port}/cmp/absent:1`;
    writeFileSync(join(dir, 'compose.yaml'), `services:\n  app:\n    image: ${image}\n`);
    const r = await cmp(['-p', 'offline', 'pull'], { cwd: dir, env });
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    const line = lines.find((l) => l.includes(`cannot pull image ${image}`));
    expect(line, r.stderr).toBeDefined();
    expect(line).toContain(`cannot reach registry 127.0.0.1:${port}`);
    expect(line).toContain('ECONNREFUSED');
    expect(line).toContain('cmp image load');
    expect(line).toContain('host_rootfs');
    expect(line).toContain('registry you can reach');
  });
});
