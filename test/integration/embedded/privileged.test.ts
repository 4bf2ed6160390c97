// `privileged: true` on the embedded runtime: the container gets the host's device nodes, as with Docker;
// an ordinary container gets only runc's default set.
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedRuntime } from '../../../src/runtime/embedded/runtime.js';
import type { ContainerCreateRequest } from '../../../src/runtime/types.js';
import { NetNone } from '../../fakes/net-none.js';
import { assertNoLeaks } from '../../setup/leaks.js';
import { BUSYBOX_REF, busyboxSource, makeBusyboxLayer } from './helpers/busybox-image.js';
import { project, request } from './helpers/request.js';
import { finishFile, removeAll, saveRoots, useRootsIn } from './helpers/roots.js';

const tmp = mkdtempSync(join(tmpdir(), 'cmp-priv-'));
const source = busyboxSource(makeBusyboxLayer(join(tmp, 'layer')));
const PROJECT = 'cmpprivt';
let rt: EmbeddedRuntime;
const saved = saveRoots();

/** Host char devices outside runc's default set; the first that exists here is looked for. */
const CANDIDATES = ['/dev/loop-control', '/dev/kmsg', '/dev/fuse', '/dev/net/tun', '/dev/kvm'];
const device = CANDIDATES.find((p) => existsSync(p) && statSync(p).isCharacterDevice());

async function run(req: ContainerCreateRequest): Promise<string[]> {
  const st = await rt.createContainer(req);
  await rt.startContainer(st.id);
  const code = await rt.waitContainer(st.id);
  const lines: string[] = [];
  for await (const l of rt.logs(st.id, { follow: false })) lines.push(l.line);
  expect({ code, lines }).toMatchObject({ code: 0 });
  return lines;
}

beforeAll(() => {
  useRootsIn(tmp);
  rt = new EmbeddedRuntime(source, new NetNone());
});

afterEach(async () => {
  await removeAll(rt, PROJECT);
  await assertNoLeaks();
});

afterAll(() => finishFile(tmp, saved));

describe.skipIf(device === undefined)('privileged containers', () => {
  const dev = device ?? '';
  // busybox stat: %t/%T are the major/minor in hex.
  const probe = `if [ -c ${dev} ]; then stat -c '%t:%T' ${dev}; else echo missing; fi; [ -e /dev/console ] || echo no-console`;
  const st = statSync(dev, { bigint: true });
  const hex = (n: bigint): string => n.toString(16);
  const major = ((st.rdev >> 8n) & 0xfffn) | ((st.rdev >> 32n) & ~0xfffn);
  const minor = (st.rdev & 0xffn) | ((st.rdev >> 12n) & ~0xffn);

  it(`a privileged container sees the host's ${dev} with its numbers; an ordinary one does not`, async () => {
    const image = await source.inspect(BUSYBOX_REF);
    if (!image) throw new Error('no test image');
    const p = project(PROJECT);
    const priv = await run(request(p, 'priv', image, { privileged: true, command: ['sh', '-c', probe] }));
    // /dev/console is the one host node left out (runc binds it to the terminal when there is one).
    expect(priv).toEqual([`${hex(major)}:${hex(minor)}`, 'no-console']);
    const plain = await run(request(p, 'plain', image, { command: ['sh', '-c', probe] }));
    expect(plain).toEqual(['missing', 'no-console']);
  });

  it('a privileged container still gets its own /dev/pts and /dev/shm, not the host ones', async () => {
    const image = await source.inspect(BUSYBOX_REF);
    if (!image) throw new Error('no test image');
    const p = project(PROJECT);
    const lines = await run(
      request(p, 'priv', image, {
        privileged: true,
        command: ['sh', '-c', 'grep -E " /dev/(pts|shm) " /proc/mounts | cut -d" " -f2,3; ls /dev/pts'],
      }),
    );
    // A fresh devpts instance holds only ptmx: the host's terminals are not there.
    expect(lines).toEqual(['/dev/pts devpts', '/dev/shm tmpfs', 'ptmx']);
  });
});
