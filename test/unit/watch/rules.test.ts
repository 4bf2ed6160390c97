import { describe, expect, it } from 'vitest';
import type { Project, Service } from '../../../src/model/types.js';
import { loadServiceRules, watchedServices } from '../../../src/watch/rules.js';

function service(extra: Partial<Service> = {}): Service {
  return { volumes: [], ...extra } as unknown as Service;
}

function project(services: Record<string, Service>): Project {
  return {
    name: 'p',
    working_dir: '/p',
    config_files: ['/p/compose.yaml'],
    env_files: [],
    services,
    networks: {},
    volumes: {},
    configs: {},
    secrets: {},
    extensions: {},
    disabled_services: {},
  };
}

describe('which services can be watched', () => {
  it('refuses when no selected service has develop.watch, as compose words it', () => {
    const p = project({
      db: service(),
      web: service({ develop: { watch: [{ action: 'sync', path: '/p/s', target: '/a' }] } }),
    });
    expect(() => watchedServices(p, ['db'])).toThrow(/none of the selected services is configured for watch/);
    expect(watchedServices(p, [])).toEqual(['web']);
  });

  it('refuses rebuild without build, and sync+exec without a command', async () => {
    const rebuild = project({ web: service({ develop: { watch: [{ action: 'rebuild', path: '/p' }] } }) });
    await expect(loadServiceRules(rebuild, ['web'], () => undefined)).rejects.toThrow(
      `can't watch service "web" with action rebuild without a build context`,
    );
    const exec = project({
      web: service({ develop: { watch: [{ action: 'sync+exec', path: '/p/s', target: '/a' }] } }),
    });
    await expect(loadServiceRules(exec, ['web'], () => undefined)).rejects.toThrow(
      /exec.command is required/,
    );
  });

  it('skips, with a warning, a sync rule whose path is bind-mounted anyway', async () => {
    const p = project({
      web: service({
        volumes: [{ type: 'bind', source: '/p', target: '/app' }],
        develop: {
          watch: [
            { action: 'sync', path: '/p/src', target: '/app/src' },
            { action: 'restart', path: '/p/conf' },
          ],
        },
      }),
    });
    const warnings: string[] = [];
    const rules = await loadServiceRules(p, ['web'], (w) => warnings.push(w));
    expect(rules[0]?.rules.map((r) => r.rule.action)).toEqual(['restart']);
    expect(warnings[0]).toMatch(/also declared by a bind mount/);
  });
});
