// Whatever the input, the loader either returns a project or throws a CmpError: random YAML
// documents and random mutations of valid files never crash it with anything else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/loader/index.js';
import { isCmpError } from '../../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'cmp-loader-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function outcome(text: string): Promise<string> {
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, text);
  try {
    await loadProject({
      cwd: dir,
      files: [file],
      envFiles: [],
      profiles: [],
      interpolate: true,
      env: { HOME: '/home/tester', SET: 'x' },
      onWarning: () => undefined,
    });
    return 'ok';
  } catch (e) {
    return isCmpError(e)
      ? `cmp-error: ${e.format()}`
      : `crash: ${String(e)}${e instanceof Error ? e.stack : ''}`;
  }
}

const VALID = `x-base: &base
  image: busybox
  restart: always
services:
  web:
    <<: *base
    command: sh -c "echo \${SET:-none}"
    ports: ["8080:80", "127.0.0.1:9000-9001:9000-9001/udp"]
    volumes: ["./data:/data:ro", "cache:/cache"]
    environment: [A=1, B]
    depends_on:
      db:
        condition: service_healthy
    networks: [front]
    healthcheck:
      test: curl -f localhost
      interval: 10s
    deploy:
      resources:
        limits:
          memory: 512m
  db:
    image: postgres
    env_file:
      - path: missing.env
        required: false
    healthcheck:
      test: ["CMD", "pg_isready"]
  tools:
    image: busybox
    profiles: ["\${SET}"]
networks:
  front: {}
volumes:
  cache: {}
`;

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('${SET}', '${X:?e}', '${', '$$', '8080:80', './x:/y', 'service:db', '1g', '10s'),
);
const key = fc.constantFrom(
  'services',
  'web',
  'db',
  'image',
  'build',
  'ports',
  'volumes',
  'environment',
  'depends_on',
  'networks',
  'command',
  'healthcheck',
  'test',
  'extends',
  'include',
  'profiles',
  'x-a',
  'name',
  'deploy',
  'env_file',
  'labels',
  'secrets',
  'configs',
  'container_name',
  'scale',
  'network_mode',
  'links',
  '<<',
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
})).node;

describe('loader robustness', () => {
  it('accepts the seed file', async () => {
    expect(await outcome(VALID)).toBe('ok');
  });

  it('random YAML trees only ever fail with a CmpError', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (t) => {
        const doc = stringify({ services: { web: t } });
        expect(await outcome(doc)).not.toMatch(/^crash/);
        expect(await outcome(stringify(t))).not.toMatch(/^crash/);
      }),
      { numRuns: 300 },
    );
  });

  it('mutated valid files only ever fail with a CmpError', async () => {
    const mutation = fc.record({
      at: fc.nat({ max: VALID.length }),
      del: fc.nat({ max: 6 }),
      ins: fc.oneof(
        fc.string({ maxLength: 6 }),
        fc.constantFrom(':', '- ', '\n  ', '"', '{', '[', '&a', '*a', '!reset', '${'),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (ms) => {
        let text = VALID;
        for (const m of ms) text = text.slice(0, m.at) + m.ins + text.slice(m.at + m.del);
        expect(await outcome(text)).not.toMatch(/^crash/);
      }),
      { numRuns: 400 },
    );
  });
});
