// `cmp config` prints what `docker compose config` (v2.26, the oracle) prints, YAML and JSON, compared leaf
// by leaf and in key order: every compose file of the corpus and the files of test/fixtures/config-parity
// (one per difference found before, and one using nearly every attribute). Where cmp differs on purpose
// the case says so, path by path. `docker compose config` talks to no daemon, so none is started; it
// still gets the tests' dockerd as DOCKER_HOST, as every oracle call does.
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { cmp } from '../e2e/helpers.js';
import { DOCKER_SOCKET } from '../setup/dockerd.js';

const run = promisify(execFile);
const FIXTURES = join(import.meta.dirname, '../fixtures');
const { COMPOSE_PROJECT_NAME: _unused, ...inherited } = process.env;
const ENV = { ...inherited, DOCKER_HOST: `unix://${DOCKER_SOCKET}` };

interface Deliberate {
  path: RegExp;
  why: string;
}

const NEWER_SPEC = 'Compose 2.26 predates this key and drops it; cmp keeps what the file says.';

/** Per case (folder under test/fixtures), the leaves where cmp differs on purpose. */
const DELIBERATE: Record<string, Deliberate[]> = {
  'config-parity/every-key': [
    { path: /^services\.web\.networks\.front\.gw_priority$/, why: NEWER_SPEC },
    {
      path: /^services\.web\.depends_on\.cache\.x-why$/,
      why: "cmp's model keeps no extensions inside depends_on entries.",
    },
    {
      path: /^services\.web\.secrets\[1\]\.mode$/,
      why: "compose 2.26 reads the string '0400' as decimal 400; cmp reads it as the octal mode it is (256).",
    },
    {
      path: /^services\.web\.build\.privileged$/,
      why: 'compose drops a false build.privileged; cmp prints what was written.',
    },
  ],
  'config-parity/files': [
    {
      path: /^services\.app\.secrets\[2\]\.mode$/,
      why: 'YAML 0440 is octal 288 for both; compose 2.26 prints it as 440.',
    },
  ],
};

function composeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...composeFiles(full));
    else if (/^(docker-)?compose\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

/** Every leaf as `path = value`, in printing order: equal lists mean equal values and key order. */
function leaves(v: unknown, path = '', out: string[] = []): string[] {
  if (Array.isArray(v)) {
    if (v.length === 0) out.push(`${path} = []`);
    v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  } else if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v);
    if (keys.length === 0) out.push(`${path} = {}`);
    for (const k of keys) leaves((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
  } else out.push(`${path} = ${JSON.stringify(v)}`);
  return out;
}

function withoutDeliberate(lines: string[], deliberate: Deliberate[]): string[] {
  return lines.filter((l) => !deliberate.some((d) => d.path.test(l.slice(0, l.indexOf(' = ')))));
}

async function oracle(file: string, format: 'yaml' | 'json'): Promise<string> {
  const r = await run('docker', ['compose', '-f', file, 'config', '--format', format], {
    cwd: dirname(file),
    env: ENV,
  });
  return r.stdout;
}

const files = [...composeFiles(join(FIXTURES, 'corpus')), ...composeFiles(join(FIXTURES, 'config-parity'))];

describe('cmp config against docker compose config v2.26', () => {
  beforeAll(async () => {
    const version = await run('docker', ['compose', 'version'], { env: ENV }).catch((e: Error) => {
      throw new Error(
        `docker compose v2 (the oracle) is missing: install it with scripts/setup-host.sh (${e.message})`,
      );
    });
    expect(version.stdout).toMatch(/version v?2\.26\./);
  });

  it('has its cases', () => {
    expect(files.length).toBeGreaterThan(45);
  });

  describe.each(['yaml', 'json'] as const)('%s', (format) => {
    it.each(files.map((f) => [relative(FIXTURES, dirname(f)), f]))('%s', async (name, file) => {
      const deliberate = DELIBERATE[name] ?? [];
      const [theirs, ours] = await Promise.all([
        oracle(file, format),
        cmp(['-f', file, 'config', '--format', format], { cwd: dirname(file), env: ENV }),
      ]);
      expect(ours.code, ours.stderr).toBe(0);
      const read = (text: string): unknown => (format === 'json' ? JSON.parse(text) : parse(text));
      expect(withoutDeliberate(leaves(read(ours.stdout)), deliberate)).toEqual(
        withoutDeliberate(leaves(read(theirs)), deliberate),
      );
    });
  });

  it('config --no-interpolate prints the variables as written, `${PORT:-19333}:80` too (#20 item 15)', async () => {
    const file = join(FIXTURES, 'config-parity/no-interpolate/compose.yaml');
    for (const format of ['yaml', 'json'] as const) {
      const args = ['compose', '-f', file, 'config', '--no-interpolate', '--format', format];
      const theirs = await run('docker', args, { cwd: dirname(file), env: ENV });
      const ours = await cmp(args.slice(1), { cwd: dirname(file), env: ENV });
      expect(ours.code, ours.stderr).toBe(0);
      const read = (text: string): unknown => (format === 'json' ? JSON.parse(text) : parse(text));
      expect(leaves(read(ours.stdout))).toEqual(leaves(read(theirs.stdout)));
      expect(ours.stdout).toContain('${PORT:-19333}:80');
    }
  });

  it('config --variables prints the table compose prints (rows sorted: compose varies the order)', async () => {
    const file = join(FIXTURES, 'config-parity/variables/variables.yaml');
    const args = ['compose', '-f', file, 'config', '--variables'];
    const theirs = await run('docker', args, { cwd: dirname(file), env: ENV });
    const ours = await cmp(args.slice(1), { cwd: dirname(file), env: ENV });
    expect(ours.code, ours.stderr).toBe(0);
    const [head, ...rows] = theirs.stdout.replace(/\n$/, '').split('\n');
    expect(ours.stdout).toBe(`${[head, ...rows.sort()].join('\n')}\n`);
    expect(rows.length).toBeGreaterThan(6);
  });

  it('lists no deliberate difference that is not one', () => {
    expect(Object.keys(DELIBERATE).filter((k) => !files.some((f) => f.includes(`/${k}/`)))).toEqual([]);
  });
});
