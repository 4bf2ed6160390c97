// `pre_start` (Compose 5.3's init steps, in compose-go's schema) loads, prints in `cmp config`, and is
// named where it is written as accepted but not applied, on both runtimes, until the hooks run (#17).
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, cmp, projectDir } from './helpers.js';

cleanupAfterEach();

const FILE = `services:
  web:
    image: busybox
    build:
      context: .
      no_cache_filter: [base]
    pre_start:
      - command: echo migrate
        image: alpine
        per_replica: true
`;

describe('pre_start', () => {
  it('is accepted, printed by config, and warned about by up --dry-run', async () => {
    const { dir, name } = projectDir(FILE);
    const config = await cmp(['-p', name, 'config', '--format', 'json'], { cwd: dir });
    expect(config.code, config.stderr).toBe(0);
    const web = (JSON.parse(config.stdout) as { services: Record<string, Record<string, unknown>> }).services
      .web;
    expect(web?.pre_start).toEqual([{ command: ['echo', 'migrate'], image: 'alpine', per_replica: true }]);
    for (const runtime of ['embedded', 'docker']) {
      const up = await cmp(['--runtime', runtime, '-p', name, '--dry-run', 'up', '-d', '--no-build'], {
        cwd: dir,
      });
      expect(up.stderr).toMatch(
        new RegExp(
          `^WARN compose\\.yaml:7:5: web: pre_start is accepted but not applied by the ${runtime} runtime`,
          'm',
        ),
      );
    }
  });
});
