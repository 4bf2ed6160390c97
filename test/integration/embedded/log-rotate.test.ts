// Log rotation with generations (`logging.options.max-size` / `max-file`) on the embedded runtime: the
// project's supervisor rotates conmon's log; `logs` reads the kept generations oldest first and a
// follower keeps going across a rotation.
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  readFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rotateLog } from '../../../src/runtime/embedded/containers/log-rotate.js';
import { readLogs } from '../../../src/runtime/embedded/containers/logs.js';
import { logPath } from '../../../src/runtime/embedded/containers/paths.js';
import { EmbeddedRuntime } from '../../../src/runtime/embedded/runtime.js';
import type { Service } from '../../../src/model/types.js';
import type { LogLine } from '../../../src/runtime/types.js';
import { Supervisor } from '../../../src/runtime/embedded/supervisor/supervisor.js';
import { NetNone } from '../../fakes/net-none.js';
import { assertNoLeaks } from '../../setup/leaks.js';
import { BUSYBOX_REF, busyboxSource, makeBusyboxLayer } from './helpers/busybox-image.js';
import { project, request } from './helpers/request.js';
import { removeAll, restoreRoots, saveRoots, useRootsIn } from './helpers/roots.js';

const tmp = mkdtempSync(join(tmpdir(), 'cmp-logrot-'));
const source = busyboxSource(makeBusyboxLayer(join(tmp, 'layer')));
const PROJECT = 'cmplogrot';
let rt: EmbeddedRuntime;
let supervisor: Supervisor;
const supervisorLog: string[] = [];
const saved = saveRoots();

/** A shell loop printing `line 1` .. `line N`, padded so a few KiB fill quickly. */
function printer(n: number, sleepUs: number): string[] {
  const pad = 'x'.repeat(60);
  return [
    'sh',
    '-c',
    `i=0; while [ $i -lt ${n} ]; do i=$((i+1)); echo "line $i ${pad}"; usleep ${sleepUs}; done`,
  ];
}

const numbers = (lines: LogLine[]): number[] => lines.map((l) => Number(l.line.split(' ')[1]));

function consecutive(ns: number[]): boolean {
  return ns.every((n, i) => i === 0 || n === (ns[i - 1] ?? 0) + 1);
}

/** ctr.log's kept generations (ctr.log.1, ctr.log.2, ...). */
function generations(id: string): string[] {
  return readdirSync(join(logPath(id), '..')).filter((n) => /^ctr\.log\.\d+$/.test(n));
}

async function all(id: string): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const l of rt.logs(id, { follow: false })) out.push(l);
  return out;
}

beforeAll(async () => {
  useRootsIn(tmp);
  const net = new NetNone();
  rt = new EmbeddedRuntime(source, net);
  supervisor = new Supervisor({
    project: PROJECT,
    runtime: rt,
    net,
    log: (l) => supervisorLog.push(l),
    onEmpty: () => undefined,
    tickMs: 100,
  });
  await supervisor.boot();
});

afterEach(async () => {
  await removeAll(rt, PROJECT);
  await assertNoLeaks();
});

afterAll(async () => {
  try {
    await supervisor.stop();
    await assertNoLeaks();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    restoreRoots(saved);
  }
});

async function start(service: Partial<Service>): Promise<string> {
  const image = await source.inspect(BUSYBOX_REF);
  if (!image) throw new Error('no test image');
  const st = await rt.createContainer(request(project(PROJECT), 'chatty', image, service));
  await rt.startContainer(st.id);
  return st.id;
}

describe('log rotation', () => {
  it('keeps at most max-file files and `logs` reads them oldest first, in order, to the last line', async () => {
    const id = await start({
      logging: { driver: 'json-file', options: { 'max-size': '4k', 'max-file': '3' } },
      command: printer(500, 10_000),
    });
    let most = 0;
    let rotated = false;
    const done = rt.waitContainer(id);
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      const gens = generations(id);
      most = Math.max(most, gens.length);
      rotated ||= gens.length > 0;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await done).toBe(0);
    // max-file 3: the live file and two older ones, never more.
    expect(rotated).toBe(true);
    expect(most).toBeLessThanOrEqual(2);
    expect(generations(id).sort()).toEqual(['ctr.log.1', 'ctr.log.2']);

    const ns = numbers(await all(id));
    // What was rotated out is gone; what is kept reads as one run of lines, ending with the last.
    expect(ns.at(-1)).toBe(500);
    expect(ns[0]).toBeGreaterThan(1);
    expect(consecutive(ns)).toBe(true);
    // --tail takes the last lines across the generations too.
    const tail: LogLine[] = [];
    for await (const l of rt.logs(id, { follow: false, tail: 3 })) tail.push(l);
    expect(numbers(tail)).toEqual([498, 499, 500]);
  });

  it('a follower sees every line, in order, across rotations', async () => {
    const id = await start({
      logging: { options: { 'max-size': '2k', 'max-file': '2' } },
      command: printer(300, 15_000),
    });
    const seen: LogLine[] = [];
    for await (const l of rt.logs(id, { follow: true })) seen.push(l);
    expect(await rt.waitContainer(id)).toBe(0);
    expect(numbers(seen)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    // The file did rotate under the follower: a fresh read no longer has the first lines.
    const kept = numbers(await all(id));
    expect(kept[0]).toBeGreaterThan(1);
    expect(kept.at(-1)).toBe(300);
  });

  it('without logging options a small log is left alone (max-file 1: nothing older is kept)', async () => {
    const id = await start({ command: printer(20, 1000) });
    expect(await rt.waitContainer(id)).toBe(0);
    await new Promise((r) => setTimeout(r, 1200)); // a rotator look or two
    expect(generations(id)).toEqual([]);
    expect(numbers(await all(id))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('rejects a max-size it cannot read when the container is created', async () => {
    const image = await source.inspect(BUSYBOX_REF);
    if (!image) throw new Error('no test image');
    await expect(
      rt.createContainer(
        request(project(PROJECT), 'bad', image, {
          logging: { options: { 'max-size': 'ten megs' } },
          command: ['true'],
        }),
      ),
    ).rejects.toThrow(/logging\.options\.max-size: invalid size "ten megs"/);
  });
});

describe('log rotation: conmon replacing the file by itself', () => {
  it('keeps what conmon dropped at its own cap as a generation, and `logs` still reads it in order', async () => {
    // conmon's backstop (--log-size-max) replaces ctr.log with a fresh file: here done by hand, as conmon
    // does it (a new file renamed over the old name), between two looks of the rotator.
    const dir = mkdtempSync(join(tmp, 'backstop-'));
    const log = join(dir, 'ctr.log');
    const entry = (n: number): string => `2024-01-01T00:00:0${n}.000000000+00:00 stdout F line ${n}\n`;
    writeFileSync(log, entry(1) + entry(2));
    const policy = { maxBytes: 1 << 20, maxFiles: 3 };
    const noFifo = join(dir, 'ctl');
    expect(await rotateLog(log, noFifo, policy)).toBeUndefined();
    writeFileSync(`${log}.tmp`, entry(3));
    renameSync(`${log}.tmp`, log);
    expect(await rotateLog(log, noFifo, policy)).toBe('rescued');
    expect(readFileSync(`${log}.1`, 'utf8')).toBe(entry(1) + entry(2));
    const lines: LogLine[] = [];
    for await (const l of readLogs(log, { follow: false }, async () => false)) lines.push(l);
    expect(numbers(lines)).toEqual([1, 2, 3]);
    expect(existsSync(`${log}.2`)).toBe(false);
  });
});
