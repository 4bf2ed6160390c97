import { describe, expect, it } from 'vitest';
import { LABEL, type ContainerState, type RuntimeEvent } from '../../../src/runtime/types.js';
import { formatPsJson, formatPsTable } from '../../../src/cli/format/ps.js';
import { statusText } from '../../../src/cli/format/status.js';
import { formatPortBinding, formatPorts } from '../../../src/cli/format/ports.js';
import { formatLs, projectRow, statusSummary } from '../../../src/cli/format/ls.js';
import { exitLine, formatEntry, LogMerger, mergeByTime, prefixWidth } from '../../../src/cli/format/logs.js';
import { eventJson, formatEvent } from '../../../src/cli/format/events.js';
import { humanDuration } from '../../../src/cli/format/human-time.js';
import { formatTop, cpuTime } from '../../../src/cli/format/top.js';
import { formatImages, splitReference } from '../../../src/cli/format/images.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function container(over: Partial<ContainerState> & { service?: string } = {}): ContainerState {
  const { service = 'web', ...rest } = over;
  return {
    id: `id-${service}`,
    name: `demo-${service}-1`,
    labels: {
      [LABEL.project]: 'demo',
      [LABEL.service]: service,
      [LABEL.configFiles]: '/srv/demo/compose.yaml',
    },
    image: 'nginx:1.25',
    command: '/docker-entrypoint.sh nginx -g daemon off;',
    status: 'running',
    restartCount: 0,
    createdAt: NOW - 60_000,
    startedAt: NOW - 5_000,
    networks: [],
    ports: [],
    ...rest,
  };
}

describe('ps status column', () => {
  it('shows uptime with health, and the restart count when there were restarts', () => {
    expect(statusText(container({ health: 'healthy' }), NOW)).toBe('Up 5 seconds (healthy)');
    expect(statusText(container({ health: 'starting', restartCount: 3 }), NOW)).toBe(
      'Up 5 seconds (starting, restarts: 3)',
    );
    expect(statusText(container({ restartCount: 2 }), NOW)).toBe('Up 5 seconds (restarts: 2)');
    expect(statusText(container({ startedAt: NOW - 90 * 60_000 }), NOW)).toBe('Up 2 hours');
  });

  it('shows exit codes and how long ago', () => {
    const exited = container({ status: 'exited', exitCode: 1, finishedAt: NOW - 3_000 });
    expect(statusText(exited, NOW)).toBe('Exited (1) 3 seconds ago');
    const looping = container({
      status: 'restarting',
      exitCode: 1,
      finishedAt: NOW - 2_000,
      restartCount: 4,
    });
    expect(statusText(looping, NOW)).toBe('Restarting (1) 2 seconds ago (restarts: 4)');
    expect(statusText(container({ status: 'created', startedAt: undefined }), NOW)).toBe('Created');
    expect(statusText(container({ status: 'paused' }), NOW)).toBe('Up 5 seconds (Paused)');
  });

  it('words durations as docker does', () => {
    expect(humanDuration(500)).toBe('Less than a second');
    expect(humanDuration(1000)).toBe('1 second');
    expect(humanDuration(61_000)).toBe('About a minute');
    expect(humanDuration(10 * 60_000)).toBe('10 minutes');
    expect(humanDuration(3_600_000)).toBe('About an hour');
    expect(humanDuration(3 * 86_400_000)).toBe('3 days');
  });
});

describe('ports', () => {
  const ports = [
    { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' as const },
    { hostIp: '0.0.0.0', hostPort: 5353, containerPort: 53, protocol: 'udp' as const },
    { hostIp: '::', hostPort: 8443, containerPort: 443, protocol: 'tcp' as const },
  ];

  it('prints host->container/protocol, sorted by container port', () => {
    expect(formatPorts(ports)).toBe('0.0.0.0:5353->53/udp, 127.0.0.1:8080->80/tcp, [::]:8443->443/tcp');
  });

  it('prints one binding as host:port for `cmp port`', () => {
    expect(formatPortBinding(ports[0]!)).toBe('127.0.0.1:8080');
    expect(formatPortBinding({ ...ports[0]!, hostIp: '' })).toBe('0.0.0.0:8080');
  });
});

describe('ps output', () => {
  const web = container({
    health: 'healthy',
    ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
  });
  const db = container({
    service: 'db',
    status: 'exited',
    exitCode: 137,
    finishedAt: NOW - 10_000,
    image: 'postgres:16',
    command: 'postgres',
  });

  it('shows no ports for a stopped container, as docker does (they are unpublished)', () => {
    const stopped = { ...web, status: 'exited' as const, exitCode: 0, finishedAt: NOW - 1000 };
    expect(formatPsTable([stopped], NOW)).not.toContain('8080');
    expect(JSON.parse(formatPsJson([stopped], NOW))).toMatchObject({ Publishers: [] });
    expect(formatPsTable([web], NOW)).toContain('127.0.0.1:8080->80/tcp');
  });

  it('prints the table with compose columns', () => {
    const text = formatPsTable([db, web], NOW);
    const [head, first, second] = text.split('\n');
    expect(head).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS$/);
    expect(first).toMatch(
      /^demo-db-1\s+postgres:16\s+"postgres"\s+db\s+About a minute ago\s+Exited \(137\) 10 seconds ago$/,
    );
    expect(second).toContain('"/docker-entrypoint.…"');
    expect(second).toContain('Up 5 seconds (healthy)');
    expect(second).toMatch(/127\.0\.0\.1:8080->80\/tcp$/);
    // columns line up
    expect(head!.indexOf('STATUS')).toBe(second!.indexOf('Up 5'));
  });

  it('prints one JSON object per line with compose field names', () => {
    const lines = formatPsJson([web, db], NOW).trim().split('\n');
    expect(lines).toHaveLength(2);
    const w = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(w).toMatchObject({
      ID: 'id-web',
      Name: 'demo-web-1',
      Image: 'nginx:1.25',
      Project: 'demo',
      Service: 'web',
      State: 'running',
      Status: 'Up 5 seconds (healthy)',
      Health: 'healthy',
      ExitCode: 0,
      Publishers: [{ URL: '127.0.0.1', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' }],
    });
    expect(w.Created).toBe(Math.floor((NOW - 60_000) / 1000));
    const d = JSON.parse(lines[1]!) as Record<string, unknown>;
    expect(d).toMatchObject({ State: 'exited', ExitCode: 137, Health: '', Publishers: [] });
  });
});

describe('ls output', () => {
  const a = [container(), container({ service: 'db' }), container({ service: 'job', status: 'exited' })];

  it('counts containers by state, compose style', () => {
    expect(statusSummary(a)).toBe('exited(1), running(2)');
  });

  it('prints a table, one JSON array, or names', () => {
    const rows = [projectRow('demo', a), projectRow('alpha', [container({ status: 'exited' })])];
    expect(formatLs(rows, 'table', false)).toBe(
      'NAME    STATUS                  CONFIG FILES\n' +
        'alpha   exited(1)               /srv/demo/compose.yaml\n' +
        'demo    exited(1), running(2)   /srv/demo/compose.yaml\n',
    );
    expect((JSON.parse(formatLs(rows, 'json', false)) as unknown[])[1]).toEqual({
      Name: 'demo',
      Status: 'exited(1), running(2)',
      ConfigFiles: '/srv/demo/compose.yaml',
    });
    expect(formatLs(rows, 'table', true)).toBe('alpha\ndemo\n');
  });
});

describe('logs', () => {
  it('merges lines of several containers by time, keeping each container’s order on ties', () => {
    const merged = mergeByTime([
      { service: 'web', container: 'demo-web-1', time: 3, line: 'w3' },
      { service: 'web', container: 'demo-web-1', time: 5, line: 'w5' },
      { service: 'db', container: 'demo-db-1', time: 1, line: 'd1' },
      { service: 'db', container: 'demo-db-1', time: 3, line: 'd3' },
    ]);
    expect(merged.map((e) => e.line)).toEqual(['d1', 'w3', 'd3', 'w5']);
  });

  it('releases held lines in time order', () => {
    const m = new LogMerger();
    m.push({ service: 'a', container: 'p-a-1', time: 20, line: 'late' });
    m.push({ service: 'b', container: 'p-b-1', time: 10, line: 'early' });
    expect(m.drain().map((e) => e.line)).toEqual(['early', 'late']);
    expect(m.size).toBe(0);
  });

  it('prefixes with the short container name, padded, or not at all', () => {
    const width = prefixWidth([
      { service: 'web', name: 'demo-web-1' },
      { service: 'database', name: 'demo-database-1' },
    ]);
    const e = {
      service: 'web',
      container: 'demo-web-1',
      time: Date.parse('2024-05-01T12:00:00.250Z'),
      line: 'hello',
    };
    expect(formatEntry(e, { color: false, timestamps: false, noPrefix: false, width })).toBe(
      'web-1       | hello\n',
    );
    expect(formatEntry(e, { color: false, timestamps: true, noPrefix: true, width })).toBe(
      '2024-05-01T12:00:00.250000000Z hello\n',
    );
    expect(exitLine('web', 'demo-web-1', 3)).toBe('web-1 exited with code 3\n');
  });
});

describe('events', () => {
  const e: RuntimeEvent = {
    time: NOW,
    type: 'container',
    action: 'start',
    id: 'abc123',
    attributes: { [LABEL.project]: 'demo', [LABEL.service]: 'web', name: 'demo-web-1', image: 'nginx' },
  };

  it('prints compose’s JSON object with labels left out of the attributes', () => {
    expect(eventJson(e, 'web')).toEqual({
      time: '2024-05-01T12:00:00.000Z',
      type: 'container',
      action: 'start',
      id: 'abc123',
      service: 'web',
      attributes: { name: 'demo-web-1', image: 'nginx' },
    });
    expect(JSON.parse(formatEvent(e, 'web', true))).toEqual(eventJson(e, 'web'));
  });

  it('prints a plain line otherwise', () => {
    expect(formatEvent(e, 'web', false)).toBe(
      '2024-05-01 12:00:00.000 container start abc123 (image=nginx, name=demo-web-1)\n',
    );
  });
});

describe('top and images', () => {
  it('prints a process table under the container name', () => {
    const text = formatTop('demo-web-1', [
      {
        uid: 'root',
        pid: 4242,
        ppid: 4200,
        c: 0,
        stime: '12:00',
        tty: '?',
        time: cpuTime(61),
        cmd: 'nginx: master',
      },
    ]);
    expect(text.split('\n')[0]).toBe('demo-web-1');
    expect(text.split('\n')[1]).toMatch(/^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    expect(text.split('\n')[2]).toMatch(/^root\s+4242\s+4200\s+0\s+12:00\s+\?\s+00:01:01\s+nginx: master$/);
  });

  it('splits references and prints image rows', () => {
    expect(splitReference('localhost:5000/app:1.2')).toEqual({
      repository: 'localhost:5000/app',
      tag: '1.2',
    });
    expect(splitReference('busybox')).toEqual({ repository: 'busybox', tag: 'latest' });
    expect(splitReference('a/b@sha256:00')).toEqual({ repository: 'a/b', tag: '<none>' });
    const rows = [
      {
        container: 'demo-web-1',
        repository: 'nginx',
        tag: '1.25',
        id: `sha256:${'ab'.repeat(32)}`,
        size: 187_000_000,
      },
      {
        container: 'demo-web-2',
        repository: 'nginx',
        tag: '1.25',
        id: `sha256:${'ab'.repeat(32)}`,
        size: 187_000_000,
      },
    ];
    expect(formatImages(rows, 'table', false).split('\n')[1]).toMatch(
      /^demo-web-1\s+nginx\s+1\.25\s+abababababab\s+187\.0MB$/,
    );
    expect(formatImages(rows, 'table', true)).toBe('abababababab\n');
  });
});
