// Damaged state files: a container record, a network's record, a sandbox's record and the address
// memory, each emptied and each cut off mid-way (what a full disk or a crash of an older cmp leaves).
// The damaged file is named on stderr and moved aside; another project's commands are unaffected; `up -d`
// converges to one running container per service and `down -v` leaves nothing behind.
import { readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileKey } from '../../src/runtime/embedded/net/names.js';
import { STATE_ROOT, dbAndWeb, leftovers, loadImage, oneRunningEach, ps } from './private-root.js';
import { cleanupAfterEach, cmp, projectDir } from '../e2e/helpers.js';

const { downAfter } = cleanupAfterEach();

const STACK = dbAndWeb();

type Kind = 'container record' | 'network record' | 'sandbox record' | 'address memory';
type Damage = 'emptied' | 'cut off';

function fileOf(kind: Kind, project: string, webId: string): string {
  const nets = join(STATE_ROOT, 'networks');
  switch (kind) {
    case 'container record':
      return join(STATE_ROOT, 'containers', webId, 'meta.json');
    case 'network record':
      return join(nets, `net-${fileKey(`${project}_default`)}.json`);
    case 'sandbox record':
      return join(nets, `sandbox-${fileKey(webId)}.json`);
    case 'address memory':
      return join(nets, 'memory.json');
  }
}

function damage(path: string, how: Damage): void {
  if (how === 'emptied') truncateSync(path, 0);
  else writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40));
}

const quarantined = (path: string): string[] =>
  readdirSync(join(path, '..')).filter((f) => f.startsWith(`${path.split('/').at(-1) ?? ''}.corrupt-`));

beforeAll(loadImage, 60_000);

const CASES: [Kind, Damage][] = (
  ['container record', 'network record', 'sandbox record', 'address memory'] as Kind[]
).flatMap((k) => (['emptied', 'cut off'] as Damage[]).map((d): [Kind, Damage] => [k, d]));

describe('a damaged state file', () => {
  it.each(CASES)(
    '%s %s: named, moved aside, and the projects converge',
    async (kind, how) => {
      const { dir, name } = projectDir(STACK);
      const other = projectDir(STACK);
      downAfter(dir, name);
      downAfter(other.dir, other.name);
      expect((await cmp(['-p', name, 'up', '-d'], { cwd: dir })).code).toBe(0);
      expect((await cmp(['-p', other.name, 'up', '-d'], { cwd: other.dir })).code).toBe(0);
      const webId = (await ps(dir, name)).find((r) => r.Service === 'web')?.ID ?? '';
      const file = fileOf(kind, name, webId);
      const movedBefore = quarantined(file).length;
      damage(file, how);

      // Another project goes on as if nothing happened (it may be told about the file, never fail on it).
      const otherPs = await cmp(['-p', other.name, 'ps', '-a'], { cwd: other.dir });
      expect(otherPs.code).toBe(0);
      const otherUp = await cmp(['-p', other.name, 'up', '-d'], { cwd: other.dir });
      expect(otherUp.stderr).not.toMatch(/error/i);
      expect(otherUp.code).toBe(0);

      // This project's ps names the file and still shows the container.
      const seen = await cmp(['-p', name, 'ps', '-a', '--format', 'json'], { cwd: dir });
      expect(seen.code).toBe(0);
      // A broken container is named with its damaged record at once; a lost network or sandbox record
      // when the next up repairs it.
      if (kind === 'container record') {
        expect(seen.stderr).toContain(file);
        expect(quarantined(file)).toHaveLength(1);
      }
      const rows = seen.stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { ID: string });
      expect(rows.map((r) => r.ID)).toContain(webId);

      // The address memory is read when a network is made: make this project's again.
      if (kind === 'address memory')
        expect((await cmp(['-p', name, 'down', '-t', '1'], { cwd: dir })).code).toBe(0);
      const up = await cmp(['-p', name, 'up', '-d'], { cwd: dir });
      expect(up.stderr).not.toMatch(/error/i);
      expect(up.code).toBe(0);
      if (kind === 'network record' || kind === 'sandbox record') expect(up.stderr).toContain(file);
      if (kind !== 'container record') expect(quarantined(file)).toHaveLength(movedBefore + 1);
      expect(oneRunningEach(await ps(dir, name))).toEqual(['db:running', 'web:running']);
      const lookup = await cmp(['-p', name, 'exec', '-T', 'web', 'ping', '-c', '1', '-W', '2', 'db'], {
        cwd: dir,
      });
      expect(lookup.code).toBe(0);

      expect((await cmp(['-p', name, 'down', '-v', '-t', '1'], { cwd: dir })).code).toBe(0);
      expect((await cmp(['-p', other.name, 'down', '-v', '-t', '1'], { cwd: other.dir })).code).toBe(0);
      expect(leftovers()).toEqual([]);
    },
    120_000,
  );
});
