// The docker runtime builds what the embedded runtime builds: cmp's Dockerfile front end rewrites what the
// engine's classic builder lacks (heredocs, `COPY --link`, `# syntax=`, cache mounts). The same Dockerfile
// built on both runtimes through the binary gives the same files (paths, modes, owners, contents) and the
// same config; a mount the classic builder cannot honour is a located error.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDocker } from '../setup/dockerd.js';
import { useBaseImage } from './base-image.js';
import { cleanupAfterEach, cmp, projectDir } from './helpers.js';

const { downAfter, later } = cleanupAfterEach();
const BASE = `cmp-test/build-both:${randomBytes(3).toString('hex')}`;

useBaseImage(BASE, { docker: true });

const DOCKERFILE = `# syntax=docker/dockerfile:1.6
FROM ${BASE} AS assets
RUN --mount=type=cache,target=/var/cache/demo echo warm > /var/cache/demo/x && mkdir -p /out && echo asset > /out/a.txt

FROM no.such.registry.invalid/unused:1 AS unused
RUN exit 1

FROM ${BASE}
ARG TARGETARCH
ENV APP_MODE=test
WORKDIR /app
COPY --link --from=assets /out/a.txt /app/a.txt
COPY --link src/ /app/src/
COPY <<'EOF' /app/note.txt
from a heredoc
EOF
RUN <<EOF
set -e
echo "arch=$TARGETARCH" > /app/arch.txt
chmod 744 /app/note.txt
chown 1000:1000 /app/src/main.txt
EOF
LABEL org.example.test=yes
EXPOSE 8080
USER 1000:1000
CMD ["cat", "/app/note.txt"]
`;

interface Config {
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[] | null;
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, unknown>;
  Labels?: Record<string, string> | null;
}

/** The fields both runtimes must agree on; buildah's own version label is its signature, not the user's. */
function comparable(c: Config): Config {
  const labels = Object.fromEntries(
    Object.entries(c.Labels ?? {}).filter(([k]) => k !== 'io.buildah.version'),
  );
  return {
    Env: c.Env ?? [],
    Cmd: c.Cmd ?? [],
    Entrypoint: c.Entrypoint?.length ? c.Entrypoint : null,
    WorkingDir: c.WorkingDir ?? '',
    User: c.User ?? '',
    ExposedPorts: c.ExposedPorts ?? {},
    Labels: labels,
  };
}

const LOOK =
  'cd /app && for f in $(find . | sort); do echo "$f $(stat -c "%a %u:%g %F" "$f")"; if [ -f "$f" ]; then cat "$f"; fi; done';

describe('the docker runtime builds the same Dockerfiles', () => {
  it('gives the same files and config as the embedded runtime for heredocs, COPY --link and a cache mount', async () => {
    const { dir, name } = projectDir(`services:\n  app:\n    build: .\n`);
    writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'main.txt'), 'main\n');
    const image = `${name}-app`;
    later(() => cmp(['image', 'rm', image], { cwd: dir }));
    later(() =>
      testDocker()
        .getImage(image)
        .remove()
        .catch(() => undefined),
    );
    downAfter(dir, name);
    later(() => cmp(['--runtime', 'docker', '-p', name, 'down', '-t', '1'], { cwd: dir }));

    const tree: Record<string, string> = {};
    for (const runtime of ['embedded', 'docker']) {
      const built = await cmp(['--runtime', runtime, '-p', name, 'build'], { cwd: dir, timeoutMs: 300_000 });
      expect(built.code, `${runtime}: ${built.stderr}`).toBe(0);
      const look = await cmp(
        ['--runtime', runtime, '-p', name, 'run', '--rm', '-T', 'app', 'sh', '-c', LOOK],
        {
          cwd: dir,
          timeoutMs: 120_000,
        },
      );
      expect(look.code, `${runtime}: ${look.stderr}`).toBe(0);
      tree[runtime] = look.stdout;
    }
    expect(tree.embedded).toContain('./note.txt 744 0:0 regular file\nfrom a heredoc\n');
    expect(tree.embedded).toContain('./src/main.txt 644 1000:1000 regular file\nmain\n');
    expect(tree.embedded).toContain('./a.txt 644 0:0 regular file\nasset\n');
    expect(tree.embedded).toMatch(/arch=[a-z0-9]+\n/);
    expect(tree.docker).toBe(tree.embedded);

    const inspected = await cmp(['image', 'inspect', image], { cwd: dir });
    const embeddedConfig = (JSON.parse(inspected.stdout) as { Config: Config }[])[0]?.Config as Config;
    const dockerConfig = (await testDocker().getImage(image).inspect()).Config as Config;
    expect(comparable(dockerConfig)).toEqual(comparable(embeddedConfig));
    expect(comparable(embeddedConfig).Labels).toEqual({ 'org.example.test': 'yes' });
  }, 600_000);

  it('refuses a secret mount on the docker runtime with a located line, before the engine builds', async () => {
    const { dir, name } = projectDir(`services:\n  app:\n    build: .\n`);
    writeFileSync(
      join(dir, 'Dockerfile'),
      `FROM ${BASE}\nRUN --mount=type=secret,id=token cat /run/secrets/token\n`,
    );
    const r = await cmp(['--runtime', 'docker', '-p', name, 'build'], { cwd: dir });
    expect(r.code).toBe(1);
    const last = r.stderr
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1);
    expect(last).toMatch(
      /Dockerfile:2:1: RUN --mount=type=secret cannot be honoured by the docker engine's classic builder, which cmp's docker runtime uses \(build it with the embedded runtime, or drop the mount\)$/,
    );
    const left = await testDocker()
      .getImage(`${name}-app`)
      .inspect()
      .catch(() => undefined);
    expect(left).toBeUndefined();
  });
});
