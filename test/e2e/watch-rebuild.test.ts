// develop.watch `rebuild` on the embedded runtime through the binary: `cmp up -d --watch` builds and starts
// the stack; a change under the rebuild path builds the image again with buildah and recreates only that
// service, while the other service's container keeps running untouched.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRunDir } from '../../src/util/paths.js';
import { useBaseImage } from './base-image.js';
import { cleanupAfterEach, cmp, pollUntil, projectDir, psJson } from './helpers.js';

const { downAfter, later } = cleanupAfterEach();
const BASE = `cmp-test/watch-base:${randomBytes(3).toString('hex')}`;

useBaseImage(BASE);

describe('cmp watch rebuild (embedded)', () => {
  it('rebuilds the image and recreates only the service whose files changed', async () => {
    const { dir, name } = projectDir(`services:
  app:
    build: ./app
    stop_signal: SIGKILL
    develop:
      watch:
        - action: rebuild
          path: ./app
  other:
    image: ${BASE}
    command: ['sleep', '1000']
    stop_signal: SIGKILL
`);
    mkdirSync(join(dir, 'app'));
    writeFileSync(
      join(dir, 'app', 'Dockerfile'),
      `FROM ${BASE}\nCOPY msg.txt /msg.txt\nCMD ["sleep", "1000"]\n`,
    );
    writeFileSync(join(dir, 'app', 'msg.txt'), 'first\n');
    downAfter(dir, name);
    later(() => cmp(['-p', name, 'watch', '--stop'], { cwd: dir }));
    later(() => cmp(['image', 'rm', `${name}-app`], { cwd: dir }));

    const up = await cmp(['-p', name, 'up', '-d', '--watch'], { cwd: dir, timeoutMs: 300_000 });
    expect(up.code, up.stderr).toBe(0);
    const cat = async () =>
      (await cmp(['-p', name, 'exec', '-T', 'app', 'cat', '/msg.txt'], { cwd: dir })).stdout;
    expect(await cat()).toBe('first\n');
    type Row = { ID: string; Service: string };
    const before = await psJson<Row>(dir, name);
    const image = async (ref: string) => {
      const r = await cmp(['image', 'inspect', ref], { cwd: dir });
      return r.code === 0 ? (JSON.parse(r.stdout) as { Id: string }[])[0]?.Id : undefined;
    };
    const oldImage = await image(`${name}-app`);
    expect(oldImage).toBeDefined();
    const idOf = (rows: Row[], svc: string) => rows.find((r) => r.Service === svc)?.ID;

    writeFileSync(join(dir, 'app', 'msg.txt'), 'second\n');
    await pollUntil(
      'the rebuilt app to serve the new file',
      async () => (await cat()) === 'second\n',
      120_000,
      250,
    );

    const after = await psJson<Row>(dir, name);
    expect(idOf(after, 'app')).toBeDefined();
    expect(idOf(after, 'app')).not.toBe(idOf(before, 'app'));
    expect(idOf(after, 'other')).toBe(idOf(before, 'other'));
    // The replaced image is removed (watch's default --prune); the new one carries the name.
    expect(await image(`${name}-app`)).not.toBe(oldImage);
    await pollUntil(
      'the replaced image to be removed',
      async () => !(await image(oldImage as string)),
      10_000,
    );
    const log = readFileSync(join(projectRunDir(name), 'watch.log'), 'utf8');
    expect(log).toMatch(/Rebuilding service app after/);
    expect(log).not.toMatch(/cannot build/);
  }, 300_000);
});
