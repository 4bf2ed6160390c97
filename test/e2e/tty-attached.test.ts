// Attached `up` and `run` as a user sees them on a terminal (tmux, through the real binary), and their
// output through a pipe that closes early.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CMP_BIN, cleanupAfterEach, cmp, httpGet, pollUntil, projectDir, psJson } from './helpers.js';

const { downAfter, later } = cleanupAfterEach();

/** A tmux session running bash in `dir` without CI (which would pick plain progress), and its screen. */
function terminal(dir: string, width = 160, height = 50) {
  const session = `cmp-tty-${randomBytes(3).toString('hex')}`;
  const started = spawnSync('tmux', [
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    String(width),
    '-y',
    String(height),
    `cd ${dir} && env -u CI -u CONTINUOUS_INTEGRATION bash --norc`,
  ]);
  expect(started.status).toBe(0);
  later(async () => spawnSync('tmux', ['kill-session', '-t', session]));
  return {
    type: (text: string) => spawnSync('tmux', ['send-keys', '-t', session, text, 'Enter']),
    ctrlC: () => spawnSync('tmux', ['send-keys', '-t', session, 'C-c']),
    screen: (): string =>
      spawnSync('tmux', ['capture-pane', '-p', '-J', '-S', '-', '-t', session])
        .stdout.toString()
        .replace(/\s+$/, ''),
    when: (what: string, ok: (s: string) => boolean, ms = 60_000) =>
      pollUntil(
        what,
        async () => {
          const s = spawnSync('tmux', [
            'capture-pane',
            '-p',
            '-J',
            '-S',
            '-',
            '-t',
            session,
          ]).stdout.toString();
          return ok(s) ? s : undefined;
        },
        ms,
      ),
  };
}

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const count = (text: string, re: RegExp): number => (text.match(new RegExp(re.source, 'g')) ?? []).length;

describe('attached up on a terminal', () => {
  it('shows the logs after a service_healthy wait, stops on Ctrl-C in a view of its own, and kills on a second one', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    // Both ignore SIGTERM (sh as PID 1), so only the second Ctrl-C ends them before the 60 s stop timeout.
    const { dir, name } = projectDir(`
services:
  api:
    x-cmp: {host_rootfs: true}
    command: ['sh', '-c', 'mkdir -p /tmp/w && echo ok > /tmp/w/x && echo api-up && busybox httpd -p 8000 -h /tmp/w && while true; do sleep 1; done']
    healthcheck:
      test: ['CMD', 'busybox', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8000/x']
      interval: 1s
      retries: 30
  web:
    x-cmp: {host_rootfs: true}
    command: ['sh', '-c', 'mkdir -p /tmp/w && echo page > /tmp/w/index.html && echo web-up && busybox httpd -p 80 -h /tmp/w && while true; do sleep 1; done']
    ports: ['127.0.0.1:${port}:80']
    depends_on:
      api: {condition: service_healthy}
`);
    downAfter(dir, name);
    const t = terminal(dir);
    t.type(`node ${CMP_BIN} -p ${name} --progress tty up -t 60; echo "exit:$?"`);
    const attached = await t.when(
      'the logs',
      (s) => s.includes('web-1  | web-up') && s.includes('api-1  | api-up'),
    );
    expect(await httpGet(`http://127.0.0.1:${port}/`)).toBe('page\n');
    // The view ended above the logs: one frame, every row settled, the wait included.
    expect(count(attached, /\[\+\] /)).toBe(1);
    expect(attached).toMatch(/\[\+\] Done 4\/4/);
    expect(attached).toMatch(/✔ Service web +Waited for api \(service_healthy\)/);
    // The dependency's own row ends Healthy, as in compose's view.
    expect(attached).toMatch(/✔ Container \S+-api-1 +Healthy/);
    expect(attached).not.toMatch(SPINNER);
    expect(attached.indexOf('[+] Done')).toBeLessThan(attached.indexOf('Attaching to'));

    t.ctrlC();
    const stopping = await t.when('the hint and the stop view', (s) =>
      /Gracefully stopping\.\.\. \(press Ctrl\+C again to force\)\n\[\+\] Running/.test(s),
    );
    expect(stopping).toMatch(/Container \S+-web-1 +Stopping/);
    t.ctrlC();
    const end = await t.when('the end', (s) => /exit:\d/.test(s));
    expect(end).toContain('exit:130');
    // Two views, each drawn once: the up's and the stop's; the stop's rows count from the stop.
    expect(count(end, /\[\+\] /)).toBe(2);
    expect(count(end, /Attaching to/)).toBe(1);
    const stopView = end.slice(end.indexOf('Gracefully stopping'));
    expect(stopView).not.toMatch(/Waiting for|Waited for|Started/);
    expect(stopView).not.toMatch(SPINNER);
    for (const m of stopView.matchAll(/Container \S+ +Stopped +(\d+\.\d)s/g))
      expect(Number(m[1])).toBeLessThan(60);
    const ps = await psJson<{ Service: string; State: string; ExitCode: number }>(dir, name);
    expect(ps.map((c) => [c.Service, c.State, c.ExitCode]).sort()).toEqual([
      ['api', 'exited', 137],
      ['web', 'exited', 137],
    ]);
  }, 240_000);
});

describe('run on a terminal', () => {
  it('keeps every line of the one-off output below the progress view', async () => {
    const { dir, name } = projectDir(`
services:
  dep:
    x-cmp: {host_rootfs: true}
    command: ['sleep', 'infinity']
  client:
    x-cmp: {host_rootfs: true}
    command: ['true']
    depends_on: [dep]
`);
    downAfter(dir, name);
    const t = terminal(dir);
    const line = `sh -c "echo out-A; echo out-B; echo out-C"`;
    t.type(`node ${CMP_BIN} -p ${name} --progress tty run --rm client ${line}; echo "exit1:$?"`);
    const first = await t.when('the first run', (s) => /exit1:\d/.test(s));
    expect(first).toMatch(/\[\+\] Done.*\n(?:.*\n)*out-A\nout-B\nout-C\nexit1:0/);
    t.type(`node ${CMP_BIN} -p ${name} --progress tty run --rm -T client ${line}; echo "exit2:$?"`);
    // Typed only after: the one-off reads the terminal while it runs.
    await t.when('the -T run', (s) => /exit2:\d/.test(s));
    t.type(`node ${CMP_BIN} -p ${name} --progress tty run --rm --no-deps client ${line}; echo "exit3:$?"`);
    const more = await t.when('the -T and --no-deps runs', (s) => /exit3:\d/.test(s));
    expect(more).toMatch(/out-A\nout-B\nout-C\nexit2:0/);
    expect(more).toMatch(/out-A\nout-B\nout-C\nexit3:0/);

    // An interactive shell: what it printed before `exit 5` stays.
    t.type(`node ${CMP_BIN} -p ${name} --progress tty run --rm client sh; echo "exit4:$?"`);
    await t.when('the shell prompt', (s) => /exit3:0[\s\S]*\n# $/m.test(s.trimEnd() + ' '));
    t.type('echo line-1; echo line-2');
    await t.when('the echo', (s) => /\nline-2\n/.test(s));
    t.type('exit 5');
    const shell = await t.when('the shell to end', (s) => /exit4:\d/.test(s));
    expect(shell).toMatch(/\nline-1\nline-2\n# exit 5\nexit4:5/);
    const left = await psJson<{ Name: string }>(dir, name);
    expect(left.map((c) => c.Name)).toEqual([`${name}-dep-1`]);
  }, 240_000);
});

describe('attached up and a container run again', () => {
  it("shows a one-shot job's line once per up, not its earlier runs'", async () => {
    const { dir, name } = projectDir(`
services:
  job:
    x-cmp: {host_rootfs: true}
    command: ['sh', '-c', 'echo job-ran']
`);
    downAfter(dir, name);
    for (let i = 1; i <= 3; i++) {
      const r = await cmp(['-p', name, 'up'], { cwd: dir });
      expect(r.code).toBe(0);
      expect(count(r.stdout, /job-1 {2}\| job-ran/)).toBe(1);
    }
  }, 240_000);
});

describe('output into a pipe that closes', () => {
  it('ends quietly with 141 and leaves no one-off container', async () => {
    const { dir, name } = projectDir(`
services:
  chatty:
    x-cmp: {host_rootfs: true}
    command: ['sh', '-c', 'seq 1 100000; exec sleep infinity']
  c:
    x-cmp: {host_rootfs: true}
    command: ['true']
`);
    downAfter(dir, name);
    expect((await cmp(['-p', name, 'up', '-d', 'chatty'], { cwd: dir })).code).toBe(0);
    await pollUntil('the log', async () => {
      const r = await cmp(['-p', name, 'logs', '--tail', '1', 'chatty'], { cwd: dir });
      return r.stdout.includes('100000');
    });
    const sh = (script: string) =>
      spawnSync('bash', ['-c', `${script}; echo "rc=\${PIPESTATUS[-2]}"`], {
        cwd: dir,
        env: { ...process.env, CMP_PROGRESS: 'plain' },
        timeout: 120_000,
      });
    const cmpCall = `node ${CMP_BIN} -p ${name}`;
    for (const script of [
      `${cmpCall} logs | head -1`,
      `${cmpCall} logs -f | head -1`,
      `${cmpCall} run --rm -T c seq 1 200000 </dev/null | head -1`,
    ]) {
      const r = sh(script);
      expect(r.stdout.toString(), script).toMatch(/^(chatty-1 {2}\| )?1\nrc=141\n$/);
      expect(r.stderr.toString(), script).not.toMatch(/EPIPE|Error:|\n\s+at /);
    }
    // With a stdin to give, the one-off writes into the pipe itself: its own exit code and message.
    const direct = sh(`echo | ${cmpCall} run --rm -T c seq 1 200000 | head -1`);
    expect(direct.stdout.toString()).toMatch(/^1\nrc=[1-9]\d*\n$/);
    expect(direct.stderr.toString()).not.toMatch(/EPIPE|Error:|\n\s+at /);
    const left = await psJson<{ Name: string }>(dir, name);
    expect(left.map((c) => c.Name)).toEqual([`${name}-chatty-1`]);
  }, 240_000);
});

describe('attached up, run and logs: streams and unfinished lines', () => {
  it("keep a container's stderr on stderr and print a last line that has no newline", async () => {
    const { dir, name } = projectDir(`
services:
  job:
    x-cmp: {host_rootfs: true}
    command: ['sh', '-c', 'echo to-out; echo to-err >&2; printf abc']
`);
    downAfter(dir, name);
    const up = await cmp(['-p', name, 'up'], { cwd: dir });
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/job-1 {2}\| to-out\n/);
    expect(up.stdout).toMatch(/job-1 {2}\| abc\n/);
    expect(up.stdout).not.toContain('to-err');
    expect(up.stderr).toMatch(/job-1 {2}\| to-err\n/);
    const logs = await cmp(['-p', name, 'logs', '--no-log-prefix'], { cwd: dir });
    expect(logs.stdout.split('\n')).toContain('abc');
    // stdin on /dev/null: the one-off's output comes through its log, as the issue saw it.
    const run = spawnSync(
      process.execPath,
      [CMP_BIN, '-p', name, 'run', '--rm', '-T', 'job', 'printf', 'abc'],
      {
        cwd: dir,
        env: { ...process.env, CMP_PROGRESS: 'plain' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout.toString()).toBe('abc\n');
  }, 240_000);
});
