// `cmp run` attached to the user's stdin and terminal (issue #6): piped input reaches the one-off, a TTY
// session through tmux behaves like a shell, and with nothing on stdin the one-off still runs and reports.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CMP_BIN, cleanupAfterEach, cmp, pollUntil, projectDir } from './helpers.js';
import { BUSYBOX_IMAGE, ensureBusyboxImage, ensureDockerd } from '../setup/dockerd.js';

const { downAfter, later } = cleanupAfterEach();

function stack(): { dir: string; name: string } {
  const { dir } = projectDir(`
services:
  app:
    x-cmp:
      host_rootfs: true
    command: ['sh', '-c', 'echo started']
`);
  const name = `runint${randomBytes(3).toString('hex')}`;
  downAfter(dir, name);
  return { dir, name };
}

/** cmp with `input` written to its stdin, which is then closed. */
function cmpWithInput(
  args: string[],
  cwd: string,
  input: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CMP_BIN, ...args], {
      cwd,
      env: { ...process.env, CMP_PROGRESS: 'quiet' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('cmp run, attached to stdin', () => {
  it('passes piped input to the one-off and returns its exit code', async () => {
    const { dir, name } = stack();
    const r = await cmpWithInput(
      ['-p', name, 'run', '--rm', '-T', 'app', 'sh', '-c', 'read x; echo "got: $x"; exit 7'],
      dir,
      'hello from the pipe\n',
    );
    expect(r.stdout).toContain('got: hello from the pipe');
    expect(r.code).toBe(7);
    // --rm: nothing of it is left.
    const ps = await cmp(['-p', name, 'ps', '-a', '-q'], { cwd: dir });
    expect(ps.stdout.trim()).toBe('');
  });

  it('gives a terminal to an interactive session (driven through tmux)', async () => {
    const { dir, name } = stack();
    const session = `cmp-runint-${randomBytes(3).toString('hex')}`;
    const marker = `${dir}/exit-code`;
    const script = `cd ${dir} && node ${CMP_BIN} -p ${name} --progress quiet run --rm app sh; echo $? > ${marker}; sleep 60`;
    expect(
      spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '20', script]).status,
    ).toBe(0);
    later(async () => spawnSync('tmux', ['kill-session', '-t', session]));
    const pane = (): string => spawnSync('tmux', ['capture-pane', '-p', '-t', session]).stdout.toString();
    await pollUntil('the shell prompt', async () => (/[#$] *$/m.test(pane()) ? true : undefined), 10_000);
    spawnSync('tmux', ['send-keys', '-t', session, 'tty; echo "sum:$((6*7))"', 'Enter']);
    const shown = await pollUntil(
      'the answer in the pane',
      async () => (pane().includes('sum:42') ? pane() : undefined),
      10_000,
    );
    // The container's stdin is a terminal of its own, not the host's.
    expect(shown).toMatch(/\/dev\/pts\/\d+/);
    spawnSync('tmux', ['send-keys', '-t', session, 'exit 5', 'Enter']);
    const code = await pollUntil(
      'the exit code',
      async () => {
        const r = spawnSync('cat', [marker]);
        return r.status === 0 && r.stdout.toString().trim() !== '' ? r.stdout.toString().trim() : undefined;
      },
      10_000,
    );
    expect(code).toBe('5');
  });

  it('passes piped input to the one-off on the docker runtime too', async () => {
    await ensureDockerd();
    await ensureBusyboxImage();
    const { dir } = projectDir(`
services:
  app:
    image: ${BUSYBOX_IMAGE}
    command: ['sh', '-c', 'echo started']
`);
    const name = `runintd${randomBytes(3).toString('hex')}`;
    later(() => cmp(['--runtime', 'docker', '-p', name, 'down', '-v', '-t', '1'], { cwd: dir }));
    const r = await cmpWithInput(
      [
        '--runtime',
        'docker',
        '-p',
        name,
        'run',
        '--rm',
        '-T',
        'app',
        'sh',
        '-c',
        'read x; echo "got: $x"; exit 6',
      ],
      dir,
      'hello through the engine\n',
    );
    expect(r.stdout).toContain('got: hello through the engine');
    expect(r.code).toBe(6);
    const ps = await cmp(['--runtime', 'docker', '-p', name, 'ps', '-a', '-q'], { cwd: dir });
    expect(ps.stdout.trim()).toBe('');
  });

  it('runs with nothing on stdin (/dev/null) and still reports output and exit code', async () => {
    const { dir, name } = stack();
    const r = spawnSync(
      process.execPath,
      [CMP_BIN, '-p', name, 'run', '--rm', '-T', 'app', 'sh', '-c', 'echo out; exit 3'],
      {
        cwd: dir,
        env: { ...process.env, CMP_PROGRESS: 'quiet' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(r.stdout.toString()).toContain('out');
    expect(r.status).toBe(3);
  });
});
