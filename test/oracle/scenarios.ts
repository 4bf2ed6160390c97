// The scenario table: compose's own kinds of end-to-end checks (up/down, cascade, profiles, networks,
// volumes, env, run, exec, scale, start/stop/restart, wait), each a compose file, the commands a user types
// and what to look at after each. scenarios.test.ts plays every one on Docker Compose v2.26 and on cmp.
export const IMAGE = 'cmp-test/busybox:latest';

type Look = 'code' | 'ok' | 'out' | 'lines';

interface Common {
  /**
   * Set when cmp is known to differ here, with why: the step must still differ (so a fix shows up and the
   * mark is removed), and is left out of the comparison.
   */
  knownDifference?: string;
}

export interface CommandStep extends Common {
  /** After `-p <project>`; `<project>` in an argument is replaced by the project's name. */
  args: string[];
  /** Added to the environment of this command only. */
  env?: Record<string, string>;
  /**
   * What to compare: the exit code, only whether it is 0 (where the tools' codes for the same failure are
   * not part of compose's contract), stdout, or stdout's lines in any order. Default: the exit code.
   */
  see?: Look[];
  /** What the oracle must show, so a scenario that went wrong on both tools alike cannot pass. */
  expect?: { code?: number; ok?: boolean; out?: string };
}

export interface PsStep extends Common {
  /** `ps -a --format json` plus these arguments. */
  ps: string[];
  expect?: { ps: string[] };
}

export type Step = CommandStep | PsStep;

export interface Scenario {
  name: string;
  compose: string;
  /** More files of the project folder, by relative path. */
  files?: Record<string, string>;
  /** Global options the final `down -v` needs too (profiles). */
  global?: string[];
  steps: Step[];
}

/** A service body that idles and stops at once on SIGTERM (tini forwards it). */
const idle = (extra = ''): string => `
    image: ${IMAGE}
    init: true
    command: ['sleep', '1000']${extra}`;

/** A service serving `text` over HTTP on port 80. */
const serving = (text: string, extra = ''): string => `
    image: ${IMAGE}
    command: ['sh', '-c', 'mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 80 -h /www']
    healthcheck:
      test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1/']
      interval: 1s
      retries: 30${extra}`;

const ps = (...args: string[]): PsStep => ({ ps: args });

/** Waits for the container's command to have written its line, then counts the lines. */
const COUNT_RUNS = 'while [ ! -e /tmp/ready ]; do sleep 0.1; done; wc -l < /data/runs';

export const SCENARIOS: Scenario[] = [
  {
    name: 'up -d, ps, down',
    compose: `
services:
  web:${idle()}
  db:${idle()}
`,
    steps: [
      { args: ['up', '-d'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['db#1 running', 'web#1 running'] } },
      { args: ['up', '-d'], expect: { code: 0 } },
      ps(),
      { args: ['down', '-t', '1'], expect: { code: 0 } },
      { ...ps(), expect: { ps: [] } },
      { args: ['down'], expect: { code: 0 } },
    ],
  },
  {
    name: 'up --abort-on-container-exit returns the exited container’s code and stops the rest',
    compose: `
services:
  quick:
    image: ${IMAGE}
    command: ['sh', '-c', 'sleep 1; exit 3']
  slow:${idle()}
`,
    steps: [{ args: ['up', '--abort-on-container-exit'], expect: { code: 3 } }, ps()],
  },
  {
    name: 'up --exit-code-from takes that service’s code',
    compose: `
services:
  main:
    image: ${IMAGE}
    command: ['sh', '-c', 'sleep 1; exit 5']
  side:${idle()}
`,
    steps: [{ args: ['up', '--exit-code-from', 'main'], expect: { code: 5 } }, ps()],
  },
  {
    name: 'up --abort-on-container-exit with every service exiting 0',
    compose: `
services:
  one:
    image: ${IMAGE}
    command: ['true']
  two:${idle()}
`,
    steps: [{ args: ['up', '--abort-on-container-exit'], expect: { code: 0 } }, ps()],
  },
  {
    name: 'profiles: a service is started only with its profile, or when named',
    compose: `
services:
  app:${idle()}
  debug:${idle(`
    profiles: [dbg]`)}
`,
    global: ['--profile', 'dbg'],
    steps: [
      { args: ['up', '-d'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['app#1 running'] } },
      { args: ['--profile', 'dbg', 'up', '-d'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['app#1 running', 'debug#1 running'] } },
      { args: ['stop', '-t', '1'] },
      ps(),
      { args: ['up', '-d', 'debug'], expect: { code: 0 } },
      ps(),
      { args: ['down', '-t', '1'] },
      ps(),
    ],
  },
  {
    name: 'networks: names resolve on shared networks only',
    compose: `
services:
  front:${serving(
    'front-ok',
    `
    networks: [fnet]`,
  )}
  back:${serving(
    'back-ok',
    `
    networks:
      bnet:
        aliases: [store]`,
  )}
  both:${idle(`
    networks: [fnet, bnet]`)}
networks:
  fnet: {}
  bnet: {}
`,
    steps: [
      { args: ['up', '-d', '--wait'], expect: { code: 0 } },
      {
        args: ['exec', '-T', 'both', 'wget', '-q', '-O', '-', 'http://front/'],
        see: ['code', 'out'],
        expect: { code: 0, out: 'front-ok' },
      },
      {
        args: ['exec', '-T', 'both', 'wget', '-q', '-O', '-', 'http://store/'],
        see: ['code', 'out'],
        expect: { code: 0, out: 'back-ok' },
      },
      {
        args: ['exec', '-T', 'both', 'wget', '-q', '-O', '-', 'http://<project>-back-1/'],
        see: ['code', 'out'],
        expect: { code: 0, out: 'back-ok' },
      },
      {
        args: ['exec', '-T', 'front', 'wget', '-q', '-T', '2', '-O', '-', 'http://back/'],
        see: ['ok'],
        expect: { ok: false },
      },
      {
        args: ['exec', '-T', 'front', 'wget', '-q', '-T', '2', '-O', '-', 'http://store/'],
        see: ['ok'],
        expect: { ok: false },
      },
    ],
  },
  {
    name: 'volumes: data survives down and up, down -v removes it',
    compose: `
services:
  store:
    image: ${IMAGE}
    init: true
    command: ['sh', '-c', 'date >> /data/runs; touch /tmp/ready; exec sleep 1000']
    volumes: [data:/data]
volumes:
  data: {}
`,
    steps: [
      { args: ['up', '-d'], expect: { code: 0 } },
      { args: ['exec', '-T', 'store', 'sh', '-c', COUNT_RUNS], see: ['out'], expect: { out: '1' } },
      { args: ['down', '-t', '1'], expect: { code: 0 } },
      { args: ['up', '-d'], expect: { code: 0 } },
      { args: ['exec', '-T', 'store', 'sh', '-c', COUNT_RUNS], see: ['out'], expect: { out: '2' } },
      { args: ['down', '-v', '-t', '1'], expect: { code: 0 } },
      { args: ['up', '-d'], expect: { code: 0 } },
      { args: ['exec', '-T', 'store', 'sh', '-c', COUNT_RUNS], see: ['out'], expect: { out: '1' } },
    ],
  },
  {
    name: 'env: env_file, environment and interpolation, in that precedence',
    compose: `
services:
  app:
    image: \${IMG:-${IMAGE}}
    env_file: [app.env]
    environment:
      OVERRIDDEN: env
      INTERP: \${OUTER:-dflt}-\${MISSING:-none}-\${EMPTY-unset}
      LITERAL: $$HOME
      FROM_SHELL:
    command: ['sleep', '1000']
`,
    files: { 'app.env': 'FROM_FILE=file\nOVERRIDDEN=file\nQUOTED="a b"\n' },
    steps: [
      {
        args: [
          'run',
          '--rm',
          '-T',
          'app',
          'sh',
          '-c',
          'echo "$FROM_FILE $OVERRIDDEN $QUOTED $INTERP $LITERAL"',
        ],
        see: ['code', 'out'],
        expect: { code: 0, out: 'file env a b dflt-none-unset $HOME' },
      },
      {
        args: ['run', '--rm', '-T', 'app', 'sh', '-c', 'echo "$INTERP/${FROM_SHELL-absent}"'],
        env: { OUTER: 'shell', EMPTY: '', FROM_SHELL: 'passed' },
        see: ['code', 'out'],
        expect: { code: 0, out: 'shell-none-/passed' },
      },
      {
        args: [
          'run',
          '--rm',
          '-T',
          '-e',
          'OVERRIDDEN=cli',
          '-e',
          'NEW=1',
          'app',
          'sh',
          '-c',
          'echo $OVERRIDDEN$NEW',
        ],
        see: ['code', 'out'],
        expect: { code: 0, out: 'cli1' },
      },
    ],
  },
  {
    name: 'run: exit codes, --rm, -e, dependencies started',
    compose: `
services:
  job:
    image: ${IMAGE}
    command: ['true']
    depends_on: [dep]
  dep:${idle()}
`,
    steps: [
      { args: ['run', '--rm', '-T', 'job', 'sh', '-c', 'exit 7'], expect: { code: 7 } },
      { ...ps(), expect: { ps: ['dep#1 running'] } },
      {
        args: ['run', '--rm', '-T', '-e', 'A=b', 'job', 'sh', '-c', 'echo $A; echo err >&2'],
        see: ['code', 'out'],
        expect: { code: 0, out: 'b' },
      },
      { args: ['run', '-T', 'job', 'sh', '-c', 'exit 2'], expect: { code: 2 } },
      { ...ps(), expect: { ps: ['dep#1 running', 'job#run exited(2)'] } },
      { args: ['run', '--rm', '-T', '--no-deps', 'dep', 'echo', 'alone'], see: ['code', 'out'] },
      { args: ['down', '-t', '1'], expect: { code: 0 } },
      {
        ...ps(),
        expect: { ps: ['job#run exited(2)'] },
        knownDifference:
          'compose 2.26 keeps one-off containers without --remove-orphans (and leaves the network "in use"); ' +
          'cmp removes them with their service on purpose (docs/architecture.md)',
      },
    ],
  },
  {
    name: 'exec: exit codes, -T, stdout only, index, user and workdir',
    compose: `
services:
  s:${idle()}
`,
    steps: [
      { args: ['up', '-d'], expect: { code: 0 } },
      { args: ['exec', '-T', 's', 'sh', '-c', 'exit 4'], expect: { code: 4 } },
      {
        args: ['exec', '-T', 's', 'sh', '-c', 'echo out; echo err >&2'],
        see: ['code', 'out'],
        expect: { code: 0, out: 'out' },
      },
      { args: ['exec', '-T', '-w', '/tmp', '-u', 'nobody', 's', 'sh', '-c', 'pwd; id -u'], see: ['out'] },
      { args: ['exec', '-T', '-e', 'X=y', 's', 'sh', '-c', 'echo $X'], see: ['out'], expect: { out: 'y' } },
      { args: ['exec', '-T', '--index', '2', 's', 'true'], see: ['ok'], expect: { ok: false } },
      { args: ['exec', '-T', 'nosuch', 'true'], see: ['ok'], expect: { ok: false } },
      { args: ['exec', '-T', 's', 'no-such-command'], expect: { code: 126 } },
      { args: ['exec', '-T', 's', '/etc/passwd'], expect: { code: 126 } },
      { args: ['exec', '-T', 's', 'sh', '-c', 'exit 255'], expect: { code: 255 } },
      { args: ['stop', '-t', '1'] },
      { args: ['exec', '-T', 's', 'true'], see: ['ok'], expect: { ok: false } },
    ],
  },
  {
    name: 'scale: --scale and deploy.replicas give numbered containers',
    compose: `
services:
  s:${idle()}
  r:${idle(`
    deploy:
      replicas: 2`)}
`,
    steps: [
      { args: ['up', '-d', '--scale', 's=3'], expect: { code: 0 } },
      {
        ...ps(),
        expect: { ps: ['r#1 running', 'r#2 running', 's#1 running', 's#2 running', 's#3 running'] },
      },
      { args: ['exec', '-T', '--index', '3', 's', 'hostname'], see: ['code'], expect: { code: 0 } },
      { args: ['up', '-d', '--scale', 's=1', '--scale', 'r=3'], expect: { code: 0 } },
      ps(),
      { args: ['up', '-d'], expect: { code: 0 } },
      ps(),
    ],
  },
  {
    name: 'start, stop, restart',
    compose: `
services:
  a:${idle()}
  b:${idle(`
    depends_on: [a]`)}
`,
    steps: [
      { args: ['up', '-d'], expect: { code: 0 } },
      { args: ['stop', '-t', '1', 'b'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['a#1 running', 'b#1 exited(143)'] } },
      { args: ['start', 'b'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['a#1 running', 'b#1 running'] } },
      { args: ['stop', '-t', '1'], expect: { code: 0 } },
      ps(),
      { args: ['start'], expect: { code: 0 } },
      ps(),
      { args: ['restart', '-t', '1', 'a'], expect: { code: 0 } },
      ps(),
      { args: ['stop', '-t', '1', 'a'], expect: { code: 0 } },
      {
        ...ps(),
        expect: { ps: ['a#1 exited(143)', 'b#1 running'] },
        knownDifference:
          'compose stops only the service named; cmp takes its dependents along on purpose (docs/pitfalls.md)',
      },
      { args: ['start', 'nosuch'], see: ['ok'], expect: { ok: false } },
      { args: ['down', '-t', '1'], expect: { code: 0 } },
      { args: ['start'], see: ['ok'], expect: { ok: false } },
    ],
  },
  {
    name: 'wait: up --wait for health, wait for an exit code',
    compose: `
services:
  web:${serving('ok')}
  job:
    image: ${IMAGE}
    command: ['sh', '-c', 'sleep 1; exit 5']
  sick:
    image: ${IMAGE}
    init: true
    command: ['sleep', '1000']
    healthcheck:
      test: ['CMD', 'false']
      interval: 1s
      retries: 1
    profiles: [sick]
`,
    global: ['--profile', 'sick'],
    steps: [
      { args: ['up', '-d', '--wait', 'web'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['web#1 running healthy'] } },
      { args: ['up', '-d', 'job'], expect: { code: 0 } },
      { args: ['wait', 'job'], see: ['code'], expect: { code: 5 } },
      { args: ['--profile', 'sick', 'up', '-d', '--wait', 'sick'], see: ['ok'], expect: { ok: false } },
    ],
  },
  {
    name: 'create, pause, unpause, kill, rm',
    // t takes a second to end on SIGTERM, so `wait t` finds it still running on both tools (compose's
    // wait fails on a container that has already exited: see the wait scenario).
    compose: `
services:
  s:${idle()}
  t:
    image: ${IMAGE}
    command: ['sh', '-c', 'trap "sleep 1; exit 143" TERM; sleep 1000 & wait']
`,
    steps: [
      { args: ['create'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['s#1 created', 't#1 created'] } },
      { args: ['start', 's'], expect: { code: 0 } },
      { args: ['pause', 's'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['s#1 paused', 't#1 created'] } },
      { args: ['exec', '-T', 's', 'true'], see: ['ok'], expect: { ok: false } },
      { args: ['unpause', 's'], expect: { code: 0 } },
      { args: ['kill', 's'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['s#1 exited(137)', 't#1 created'] } },
      { args: ['rm', '-f', 's'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['t#1 created'] } },
      { args: ['up', '-d'], expect: { code: 0 } },
      { args: ['kill', '-s', 'SIGTERM', 't'], expect: { code: 0 } },
      { args: ['wait', 't'], expect: { code: 143 } },
      { args: ['rm', '-f', '-s'], expect: { code: 0 } },
      { ...ps(), expect: { ps: [] } },
    ],
  },
  {
    name: 'depends_on conditions: completed successfully, healthy, and their failures',
    compose: `
services:
  migrate:
    image: ${IMAGE}
    command: ['sh', '-c', 'exit \${MIGRATE_EXIT:-0}']
  app:${idle(`
    depends_on:
      migrate:
        condition: service_completed_successfully`)}
  db:${serving('db')}
  api:${idle(`
    depends_on:
      db:
        condition: service_healthy`)}
`,
    steps: [
      { args: ['up', '-d', 'app'], expect: { code: 0 } },
      { ...ps(), expect: { ps: ['app#1 running', 'migrate#1 exited(0)'] } },
      { args: ['up', '-d', 'api'], expect: { code: 0 } },
      { ...ps('db'), expect: { ps: ['db#1 running healthy'] } },
      { args: ['down', '-t', '1'], expect: { code: 0 } },
      { args: ['up', '-d', 'app'], env: { MIGRATE_EXIT: '3' }, see: ['ok'], expect: { ok: false } },
      { ...ps(), expect: { ps: ['app#1 created', 'migrate#1 exited(3)'] } },
    ],
  },
  {
    name: 'run: command, entrypoint, workdir, user and service ports',
    compose: `
services:
  s:
    image: ${IMAGE}
    command: ['echo', 'from-command']
    working_dir: /etc
`,
    steps: [
      { args: ['run', '--rm', '-T', 's'], see: ['code', 'out'], expect: { code: 0, out: 'from-command' } },
      { args: ['run', '--rm', '-T', 's', 'pwd'], see: ['out'], expect: { out: '/etc' } },
      {
        args: ['run', '--rm', '-T', '-w', '/tmp', '-u', 'nobody', 's', 'sh', '-c', 'pwd; id -u'],
        see: ['out'],
      },
      {
        args: ['run', '--rm', '-T', '--entrypoint', 'sh', 's', '-c', 'echo via-entrypoint'],
        see: ['code', 'out'],
        expect: { code: 0, out: 'via-entrypoint' },
      },
      { args: ['run', '--rm', '-T', 's', 'no-such-command'], see: ['ok'], expect: { ok: false } },
      { args: ['run', '--rm', '-T', 'nosuch'], see: ['ok'], expect: { ok: false } },
      { ...ps(), expect: { ps: [] } },
    ],
  },
  {
    name: 'logs of finished containers, prefixed and not',
    compose: `
services:
  talk:
    image: ${IMAGE}
    command: ['sh', '-c', 'echo zero >&2; sleep 0.3; echo one; echo two']
  after:${idle(`
    depends_on:
      talk:
        condition: service_completed_successfully`)}
`,
    steps: [
      { args: ['up', '-d'], expect: { code: 0 } },
      {
        args: ['logs', '--no-log-prefix', 'talk'],
        see: ['code', 'lines'],
        expect: { out: 'one\ntwo\nzero' },
      },
      { args: ['logs', '--no-log-prefix', '--tail', '1', 'talk'], see: ['lines'], expect: { out: 'two' } },
      {
        args: ['logs', 'nosuch'],
        see: ['ok'],
        expect: { ok: true },
        knownDifference:
          'compose 2.26 prints nothing and exits 0 for a service the project does not have; cmp refuses it, ' +
          'as every other command does (bad input gets an error)',
      },
    ],
  },
  {
    name: 'ps --services and --status; wait and up --wait on a container that has exited',
    compose: `
services:
  up1:${idle(`
    depends_on:
      done:
        condition: service_completed_successfully`)}
  up2:${idle()}
  done:
    image: ${IMAGE}
    command: ['true']
`,
    steps: [
      { args: ['up', '-d'], expect: { code: 0 } },
      {
        args: ['wait', 'done'],
        expect: { code: 1 },
        knownDifference:
          'compose 2.26 waits only for running containers and fails ("no containers for project") once the ' +
          'container has exited; cmp returns the exited container’s code, what a script waiting for a job wants',
      },
      { args: ['up', '-d', '--wait'], see: ['ok'] },
      { args: ['ps', '--services'], see: ['lines'], expect: { out: 'up1\nup2' } },
      { args: ['ps', '-a', '--services'], see: ['lines'], expect: { out: 'done\nup1\nup2' } },
      { args: ['ps', '--services', '--status', 'exited'], see: ['lines'], expect: { out: 'done' } },
      {
        args: ['ps', '--services', '--filter', 'status=running'],
        see: ['code', 'lines'],
        expect: { code: 0, out: 'up1\nup2' },
      },
      { ...ps('up1'), expect: { ps: ['up1#1 running'] } },
    ],
  },
  {
    name: 'up again: unchanged containers stay, changed ones are recreated in place',
    compose: `
services:
  s:
    image: ${IMAGE}
    init: true
    command: ['sleep', '1000']
    environment:
      X: \${X:-1}
  t:${idle()}
`,
    steps: [
      { args: ['up', '-d'], expect: { code: 0 } },
      { args: ['exec', '-T', 't', 'sh', '-c', 'echo > /tmp/mark'], expect: { code: 0 } },
      { args: ['up', '-d'], env: { X: '2' }, expect: { code: 0 } },
      { args: ['exec', '-T', 's', 'sh', '-c', 'echo $X'], see: ['out'], expect: { out: '2' } },
      { args: ['exec', '-T', 't', 'ls', '/tmp/mark'], see: ['ok'], expect: { ok: true } },
      { args: ['up', '-d', '--no-recreate'], expect: { code: 0 } },
      { args: ['exec', '-T', 's', 'sh', '-c', 'echo $X'], see: ['out'], expect: { out: '2' } },
      { args: ['up', '-d', '--force-recreate', 't'], env: { X: '2' }, expect: { code: 0 } },
      { args: ['exec', '-T', 't', 'ls', '/tmp/mark'], see: ['ok'], expect: { ok: false } },
      { ...ps(), expect: { ps: ['s#1 running', 't#1 running'] } },
    ],
  },
];
