// `cmp commit` through the binary on both runtimes: run an image, change files in the container (add,
// modify, delete), commit it with a message, an author and config changes, then run the new image and see
// the changes and the config.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testDocker } from '../setup/dockerd.js';
import { useBaseImage } from './base-image.js';
import { cleanupAfterEach, cmp, projectDir } from './helpers.js';

const { downAfter, later } = cleanupAfterEach();
const tag = randomBytes(3).toString('hex');
const BASE = `cmp-test/commit-base:${tag}`;

useBaseImage(BASE, { docker: true });

/** A user's `docker rmi` / `cmp image rm` of the committed image. */
function removeImage(runtime: string, ref: string): Promise<unknown> {
  if (runtime === 'docker') {
    return testDocker()
      .getImage(ref)
      .remove()
      .catch(() => undefined);
  }
  return cmp(['image', 'rm', ref], { cwd: '/' });
}

describe('cmp commit', () => {
  it.each(['embedded', 'docker'])(
    'makes an image of a container changes on the %s runtime',
    async (runtime) => {
      const committed = `cmp-test/committed-${runtime}:${tag}`;
      const { dir, name } = projectDir(`services:
  app:
    image: ${BASE}
    command: ['sleep', '1000']
    environment: { FROM_COMPOSE: kept }
  check:
    image: ${committed}
    profiles: [check]
`);
      const cmpIn = (args: string[]) =>
        cmp(['--runtime', runtime, '-p', name, ...args], { cwd: dir, timeoutMs: 120_000 });
      downAfter(dir, name);
      later(() => cmpIn(['--profile', 'check', 'down', '-t', '1']));
      later(() => removeImage(runtime, committed));

      expect((await cmpIn(['up', '-d'])).code).toBe(0);
      const change = await cmpIn([
        'exec',
        '-T',
        'app',
        'sh',
        '-c',
        'echo added > /added.txt && echo modified > /etc/group && rm /etc/passwd && mkdir -p /srv/deep && echo x > /srv/deep/f',
      ]);
      expect(change.code, change.stderr).toBe(0);

      const commit = await cmpIn([
        'commit',
        '-m',
        'a change',
        '-a',
        'Tester <t@example.com>',
        '-c',
        'ENV COMMITTED=yes',
        '-c',
        'WORKDIR /srv',
        '-c',
        'LABEL stage=committed',
        '-c',
        'CMD ["cat", "/added.txt"]',
        'app',
        committed,
      ]);
      expect(commit.code, commit.stderr).toBe(0);
      expect(commit.stdout.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);

      // The image's own command (from -c CMD).
      const plain = await cmpIn(['--profile', 'check', 'run', '--rm', '-T', 'check']);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout.trim()).toBe('added');

      const seen = await cmpIn([
        '--profile',
        'check',
        'run',
        '--rm',
        '-T',
        'check',
        'sh',
        '-c',
        'cat /etc/group; test -e /etc/passwd && echo passwd-here || echo passwd-gone; cat deep/f; pwd; echo "$COMMITTED $FROM_COMPOSE"',
      ]);
      expect(seen.code, seen.stderr).toBe(0);
      expect(seen.stdout.split('\n').filter(Boolean)).toEqual([
        'modified',
        'passwd-gone',
        'x',
        '/srv',
        // The container's environment is part of what is committed, as docker does.
        'yes kept',
      ]);

      if (runtime === 'embedded') {
        const inspect = await cmp(['image', 'inspect', committed], { cwd: dir });
        const [img] = JSON.parse(inspect.stdout) as {
          Author: string;
          Comment?: string;
          Config: { Labels: Record<string, string> };
        }[];
        expect(img?.Author).toBe('Tester <t@example.com>');
        expect(img?.Config.Labels.stage).toBe('committed');
      } else {
        const img = await testDocker().getImage(committed).inspect();
        expect(img.Author).toBe('Tester <t@example.com>');
        expect(img.Comment).toBe('a change');
        expect(img.Config.Labels.stage).toBe('committed');
      }
    },
    180_000,
  );

  it('refuses a change a commit cannot apply, naming which -c, before touching anything', async () => {
    const { dir, name } = projectDir(`services:\n  app:\n    image: ${BASE}\n`);
    const r = await cmp(['-p', name, 'commit', '-c', 'ENV A=1', '-c', 'RUN rm -rf /', 'app', 'x:1'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      '-c #2: RUN cannot be applied by a commit (use one of ENV, CMD, ENTRYPOINT, WORKDIR, USER, EXPOSE, LABEL, VOLUME, STOPSIGNAL)',
    );
  });
});
