// `build:` on the embedded runtime through the cmp binary: a two-service stack built and started with
// `up -d --build`, a rebuild that re-runs nothing, and bad Dockerfiles that fail with one located line and
// leave nothing behind. The base image is the test busybox image, loaded into cmp's store (no network).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBaseImage } from './base-image.js';
import { cleanupAfterEach, cmp, freePort, httpGet, pollUntil, projectDir } from './helpers.js';

const { downAfter, later } = cleanupAfterEach();
const BASE = `cmp-test/build-base:${randomBytes(3).toString('hex')}`;
const BUILD_STORE = join(process.env.CMP_STATE_ROOT ?? '/var/lib/cmp', 'build');

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** Working containers buildah still has (a failed build must leave none). */
function buildahContainers(): string[] {
  const out = execFileSync(
    'buildah',
    [
      '--root',
      join(BUILD_STORE, 'storage'),
      '--runroot',
      join(BUILD_STORE, 'run'),
      '--storage-driver',
      'overlay',
      'containers',
      '-q',
    ],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter(Boolean);
}

async function imageId(dir: string, ref: string): Promise<string | undefined> {
  const r = await cmp(['image', 'inspect', ref], { cwd: dir });
  if (r.code !== 0) return undefined;
  return (JSON.parse(r.stdout) as { Id: string }[])[0]?.Id;
}

useBaseImage(BASE);

describe('build on the embedded runtime', () => {
  it('builds a two-service stack with up -d --build, serves it, and rebuilds nothing when nothing changed', async () => {
    const port = await freePort();
    const { dir, name } = projectDir(`services:
  web:
    build:
      context: ./web
      args: { GREETING: built-by-cmp }
    ports: ['127.0.0.1:${port}:8080']
    depends_on: [api]
  api:
    build: ./api
    command: ['sh', '-c', 'exec sleep 1000']
`);
    downAfter(dir, name);
    later(() => cmp(['image', 'rm', `${name}-web`, `${name}-api`], { cwd: dir }));
    write(dir, {
      'web/Dockerfile': `# syntax=docker/dockerfile:1.6
ARG BASE=${BASE}
FROM \${BASE} AS assets
ARG GREETING
RUN mkdir -p /out && echo "\${GREETING}" > /out/index.html

FROM no.such.registry.invalid/never:1 AS unused
RUN exit 1

FROM \${BASE}
COPY --link --from=assets /out/index.html /www/index.html
COPY <<'EOF' /www/note.txt
from a heredoc
EOF
RUN <<EOF
date +%s%N > /www/built-at
EOF
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
`,
      'api/Dockerfile': `FROM ${BASE}\nCOPY hello.txt /hello.txt\nRUN cat /hello.txt > /copied\n`,
      'api/hello.txt': 'hello\n',
    });

    const up = await cmp(['-p', name, 'up', '-d', '--build'], { cwd: dir, timeoutMs: 300_000 });
    expect(up.code, up.stderr).toBe(0);
    const page = await pollUntil('the built web server to answer', async () => {
      const text = await httpGet(`http://127.0.0.1:${port}/index.html`);
      return text.includes('built-by-cmp') ? text : undefined;
    });
    expect(page.trim()).toBe('built-by-cmp');
    expect((await httpGet(`http://127.0.0.1:${port}/note.txt`)).trim()).toBe('from a heredoc');

    const webId = await imageId(dir, `${name}-web`);
    const apiId = await imageId(dir, `${name}-api`);
    expect(webId).toBeDefined();
    const again = await cmp(['-p', name, 'build'], { cwd: dir, timeoutMs: 300_000 });
    expect(again.code, again.stderr).toBe(0);
    // Every step came from buildah's cache: the RUN that writes the time did not run again.
    expect(await imageId(dir, `${name}-web`)).toBe(webId);
    expect(await imageId(dir, `${name}-api`)).toBe(apiId);
    expect(again.stderr).toMatch(/CACHED/);
  });

  it.each([
    [
      'an unknown instruction',
      `FROM ${BASE}\nRUN true\nRUNN echo\n`,
      /Dockerfile:3:1: unknown instruction: RUNN$/,
    ],
    [
      'a failing RUN',
      `FROM ${BASE}\n\nRUN echo doomed; exit 3\n`,
      /Dockerfile:3:1: RUN failed: exit status 3 \(last output: doomed\)$/,
    ],
    [
      'a missing COPY source',
      `FROM ${BASE}\nCOPY nothing-here /x\n`,
      /Dockerfile:2:1: COPY failed: .*nothing-here.*no such file or directory$/,
    ],
    [
      'a cycle between stages',
      `FROM ${BASE} AS a\nCOPY --from=b /x /x\nFROM a AS b\n`,
      /Dockerfile:2:1: stages form a cycle: b -> a -> b$/,
    ],
    // A registry on a loopback port nobody listens on: the pull fails without leaving the machine.
    [
      'a missing base image',
      'FROM 127.0.0.1:1/none:1\n',
      /Dockerfile:1:1: base image 127\.0\.0\.1:1\/none:1: /,
    ],
  ])('fails on %s with one located line and leaves nothing behind', async (_what, dockerfile, message) => {
    const { dir, name } = projectDir(`services:
  app:
    build: .
    command: ['sleep', '100']
`);
    downAfter(dir, name);
    write(dir, { Dockerfile: dockerfile });
    const before = buildahContainers().length;
    const r = await cmp(['-p', name, 'up', '-d', '--build'], { cwd: dir, timeoutMs: 300_000 });
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines.at(-1)).toMatch(message);
    expect(await imageId(dir, `${name}-app`)).toBeUndefined();
    const ps = await cmp(['-p', name, 'ps', '-a', '-q'], { cwd: dir });
    expect(ps.stdout.trim()).toBe('');
    expect(buildahContainers().length).toBe(before);
  });
});
