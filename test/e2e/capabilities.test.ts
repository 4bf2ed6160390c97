// cap_add / cap_drop in every form Compose files use (`ALL`, `all`, `CAP_X`, `x`) give the same capability
// sets on the embedded runtime and on a Docker Engine, as the container itself sees them.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { busyboxOnBothRuntimes, cleanupAfterEach, cmp, projectDir } from './helpers.js';

const IMAGE = 'cmp-test/busybox:latest';
const DEFAULT = 0xa80425fbn; // Docker's default set
const bit = (n: number): bigint => 1n << BigInt(n);
const CHOWN = 0;
const NET_ADMIN = 12;

// What "every capability" is on this host: the set this (root) test process may hand on.
const bounding = BigInt(
  `0x${/^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0'}`,
);

const SYS_RESOURCE = 24;
// Docker 20.10's `ALL` stops at CAP_AUDIT_READ (37); cmp's takes every capability it holds. Compared below that.
const DOCKER_KNOWN = bit(38) - 1n;

// `only`: plain `cap_add: [ALL]` asks Docker for every capability the kernel knows, which a dockerd without
// some of them (inside a container, as here without CAP_SYS_RESOURCE) cannot grant; the embedded runtime grants
// what cmp holds. `ALL` minus what the host lacks works on both.
const cases: Array<{ service: string; keys: string; capEff: bigint; chown: boolean; only?: string }> = [
  { service: 'drop-all', keys: 'cap_drop: [ALL]', capEff: 0n, chown: false },
  { service: 'drop-all-lower', keys: 'cap_drop: [all]', capEff: 0n, chown: false },
  { service: 'add-all', keys: 'cap_add: [ALL]', capEff: bounding, chown: true, only: 'embedded' },
  {
    service: 'add-all-but-one',
    keys: 'cap_add: [all]\n    cap_drop: [SYS_RESOURCE]',
    capEff: bounding & ~bit(SYS_RESOURCE),
    chown: true,
  },
  { service: 'drop-prefixed', keys: 'cap_drop: [CAP_CHOWN]', capEff: DEFAULT & ~bit(CHOWN), chown: false },
  {
    service: 'lower-forms',
    keys: 'cap_drop: [chown]\n    cap_add: [net_admin]',
    capEff: (DEFAULT & ~bit(CHOWN)) | bit(NET_ADMIN),
    chown: false,
  },
  {
    service: 'drop-all-add-one',
    keys: 'cap_drop: [all]\n    cap_add: [CAP_CHOWN]',
    capEff: bit(CHOWN),
    chown: true,
  },
];

const PROBE =
  'grep ^CapEff: /proc/self/status; touch /tmp/f; chown 1234 /tmp/f 2>/dev/null && echo chown=ok || echo chown=denied';

const compose = cases
  .map((c) => `  ${c.service}:\n    image: ${IMAGE}\n    ${c.keys}\n    command: ['sh', '-c', '${PROBE}']\n`)
  .join('');

const { downAfter } = cleanupAfterEach();

describe('capability forms', () => {
  beforeAll(() => busyboxOnBothRuntimes(IMAGE), 120_000);

  for (const runtime of ['embedded', 'docker']) {
    it(`on the ${runtime} runtime`, async () => {
      const { dir, name } = projectDir(`services:\n${compose}`);
      downAfter(dir, name);
      const seen: Record<string, string> = {};
      const want: Record<string, string> = {};
      for (const c of cases.filter((k) => (k.only ?? runtime) === runtime)) {
        const r = await cmp(['--runtime', runtime, '-p', name, 'run', '--rm', '-T', c.service], { cwd: dir });
        expect(r.code, r.stderr).toBe(0);
        const eff = /^CapEff:\s*([0-9a-f]+)$/m.exec(r.stdout)?.[1];
        const shown = (n: bigint): string => (n & DOCKER_KNOWN).toString(16);
        seen[c.service] = `${eff ? shown(BigInt(`0x${eff}`)) : r.stdout} ${/chown=\w+/.exec(r.stdout)?.[0]}`;
        want[c.service] = `${shown(c.capEff)} chown=${c.chown ? 'ok' : 'denied'}`;
      }
      expect(seen).toEqual(want);
    }, 120_000);
  }
});
