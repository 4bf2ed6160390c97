import { describe, expect, it } from 'vitest';
import type { SourceLocation } from '../../../src/model/types.js';
import { SchemaError } from '../../../src/util/errors.js';
import { validateCompose, type Locate } from '../../../src/schema/validate.js';

// A fake source map: each known path sits on its own line, so the chosen line shows which node was blamed.
function fakeLocate(known: string[]): Locate {
  return (path) => {
    const key = path.join('/');
    const line = known.indexOf(key);
    return line < 0 ? undefined : ({ file: 'compose.yaml', line: line + 1, col: 1 } satisfies SourceLocation);
  };
}

function failure(tree: unknown, known: string[] = ['']): string {
  try {
    validateCompose(tree, fakeLocate(known));
  } catch (e) {
    if (e instanceof SchemaError) return e.format();
    throw e;
  }
  return 'valid';
}

const web = (service: Record<string, unknown>): unknown => ({
  services: { web: { image: 'nginx', ...service } },
});

describe('schema failure messages', () => {
  it('accepts a valid file', () => {
    expect(failure(web({ ports: ['80:80'], restart: 'always', depends_on: [] }))).toBe('valid');
  });

  it('says "list" for arrays', () => {
    expect(failure(web({ ports: '80:80' }))).toBe('compose.yaml:1:1: services.web.ports must be a list');
  });

  it('says "mapping" for objects', () => {
    expect(failure({ services: { web: 'nginx' } })).toBe('compose.yaml:1:1: services.web must be a mapping');
  });

  it('names the single expected type', () => {
    expect(failure(web({ restart: 5 }))).toBe('compose.yaml:1:1: services.web.restart must be a string');
    expect(failure(web({ cpus: true }))).toBe(
      'compose.yaml:1:1: services.web.cpus must be a string or a number',
    );
  });

  it('merges the types of all forms when none fits', () => {
    expect(failure(web({ build: 5 }))).toBe(
      'compose.yaml:1:1: services.web.build must be a mapping or a string',
    );
    expect(failure(web({ environment: 'A=1' }))).toBe(
      'compose.yaml:1:1: services.web.environment must be a mapping or a list',
    );
  });

  it('follows the form that got furthest', () => {
    expect(failure(web({ build: { context: 1 } }))).toBe(
      'compose.yaml:1:1: services.web.build.context must be a string',
    );
    expect(failure(web({ depends_on: { db: { condition: 'started' } } }))).toBe(
      'compose.yaml:1:1: services.web.depends_on.db.condition must be one of: service_started, service_healthy, service_completed_successfully',
    );
  });

  it('reports unknown keys with a suggestion', () => {
    expect(failure(web({ depend_on: ['db'] }))).toBe(
      "compose.yaml:1:1: services.web has an unknown key 'depend_on' (did you mean 'depends_on'?)",
    );
    expect(failure({ servces: {} })).toBe(
      "compose.yaml:1:1: the top level has an unknown key 'servces' (did you mean 'services'?)",
    );
  });

  it('explains extension keys when nothing is close', () => {
    expect(failure(web({ frobnicate: true }))).toBe(
      "compose.yaml:1:1: services.web has an unknown key 'frobnicate' (custom keys must start with 'x-')",
    );
  });

  it('reports unknown keys in long forms', () => {
    expect(failure(web({ ports: [{ target: 80, publised: '8080' }] }))).toBe(
      "compose.yaml:1:1: services.web.ports[0] has an unknown key 'publised' (did you mean 'published'?)",
    );
  });

  it('reports missing required keys', () => {
    expect(failure(web({ depends_on: { db: { restart: true } } }))).toBe(
      "compose.yaml:1:1: services.web.depends_on.db is missing the required key 'condition'",
    );
    expect(failure(web({ volumes: [{ source: 'data', target: '/data' }] }))).toBe(
      "compose.yaml:1:1: services.web.volumes[0] is missing the required key 'type'",
    );
  });

  it('lists enum values', () => {
    expect(failure(web({ cgroup: 'shared' }))).toBe(
      'compose.yaml:1:1: services.web.cgroup must be one of: host, private',
    );
  });

  it('says in words what a pattern expects', () => {
    expect(failure(web({ restart: 'sometimes' }))).toBe(
      'compose.yaml:1:1: services.web.restart must be no, always, unless-stopped or on-failure[:N]',
    );
    expect(failure(web({ healthcheck: { interval: '10 seconds' } }))).toBe(
      'compose.yaml:1:1: services.web.healthcheck.interval must be a duration such as 10s, 1m30s or 500ms',
    );
    expect(failure(web({ pull_policy: 'sometimes' }))).toBe(
      'compose.yaml:1:1: services.web.pull_policy must be always, never, missing, if_not_present, build, refresh, daily, weekly or every_<duration>',
    );
  });

  it('rejects badly formed resource names', () => {
    expect(failure({ services: { 'my web': { image: 'nginx' } } })).toBe(
      "compose.yaml:1:1: services has an invalid name 'my web' (use a name made of letters, digits, ., _ and -)",
    );
  });

  it('reports range limits', () => {
    expect(failure(web({ cpu_percent: 150 }))).toBe(
      'compose.yaml:1:1: services.web.cpu_percent must be at most 100',
    );
    expect(failure(web({ oom_score_adj: -2000 }))).toBe(
      'compose.yaml:1:1: services.web.oom_score_adj must be at least -1000',
    );
  });

  it('reports duplicate list entries at the repeated one', () => {
    expect(failure(web({ ports: ['80:80', '80:80'] }), ['', 'services/web/ports/1'])).toBe(
      'compose.yaml:2:1: services.web.ports has the same entry twice (items 0 and 1)',
    );
  });

  it('checks the x-cmp blocks', () => {
    expect(failure(web({ 'x-cmp': { host_rootfs: 'yes' } }))).toBe(
      'compose.yaml:1:1: services.web.x-cmp.host_rootfs must be a boolean',
    );
    expect(failure(web({ 'x-cmp': { restart_unhealthy: { max_restart: 3 } } }))).toBe(
      "compose.yaml:1:1: services.web.x-cmp.restart_unhealthy has an unknown key 'max_restart' (did you mean 'max_restarts'?)",
    );
    expect(failure({ networks: { front: { 'x-cmp': { ip_assignment: 'random' } } } })).toBe(
      'compose.yaml:1:1: networks.front.x-cmp.ip_assignment must be one of: sticky, sequential',
    );
    expect(failure({ 'x-cmp': { lint: { rules: { 'port-clash': 'warn' } } } })).toBe(
      'compose.yaml:1:1: x-cmp.lint.rules.port-clash must be one of: off, warning, error',
    );
    expect(failure({ 'x-cmp': { runtime: 'podman' } })).toBe(
      'compose.yaml:1:1: x-cmp.runtime must be one of: embedded, docker',
    );
    expect(
      failure({
        'x-cmp': { runtime: 'embedded', lint: { rules: { 'port-clash': 'off' } } },
        services: { web: { 'x-cmp': { host_rootfs: true, restart_unhealthy: { max_restarts: 3 } } } },
        networks: { front: { 'x-cmp': { ip_assignment: 'sticky' } } },
      }),
    ).toBe('valid');
  });

  it('lets other extension keys through', () => {
    expect(failure({ 'x-common': { anything: [1] }, services: { web: { image: 'a', 'x-note': 1 } } })).toBe(
      'valid',
    );
  });

  it('points at the deepest node that locates', () => {
    const known = ['', 'services', 'services/web', 'services/web/healthcheck'];
    expect(failure(web({ healthcheck: { retries: [] } }), known)).toBe(
      'compose.yaml:4:1: services.web.healthcheck.retries must be a string or a number',
    );
    expect(failure(web({ healthcheck: { retries: [] } }), ['', 'services/web/healthcheck/retries'])).toBe(
      'compose.yaml:2:1: services.web.healthcheck.retries must be a string or a number',
    );
  });

  it('points at an unknown key itself', () => {
    expect(failure(web({ depend_on: [] }), ['', 'services/web', 'services/web/depend_on'])).toMatch(
      /^compose\.yaml:3:1: /,
    );
  });

  it('has no location when nothing locates', () => {
    expect(failure(web({ ports: 1 }), [])).toBe('services.web.ports must be a list');
  });

  it('talks about the top level when the root is wrong', () => {
    expect(failure(['services'])).toBe('compose.yaml:1:1: the top level must be a mapping');
  });
});
