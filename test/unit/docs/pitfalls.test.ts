// The messages docs/pitfalls.md quotes are what the `cmp` binary prints (issue #16: they had drifted).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'dist/bin/cmp.js');
const PITFALLS = readFileSync(join(ROOT, 'docs/pitfalls.md'), 'utf8');

function configError(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-pitfalls-'));
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  const r = spawnSync(process.execPath, [BIN, 'config', '-q'], { cwd: dir, encoding: 'utf8' });
  expect(r.status).toBe(1);
  return r.stderr.trim().replace(`${join(dir, 'compose.yaml')}`, 'compose.yaml');
}

describe('docs/pitfalls.md', () => {
  it('quotes the cycle error as cmp prints it', () => {
    const said = configError(
      'services:\n  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [a]\n',
    );
    expect(said).toBe('compose.yaml:4:18: dependency cycle: a -> b -> a');
    expect(PITFALLS).toContain(`\`${said}\``);
  });

  it('says an undefined optional dependency is an error, with the error cmp prints', () => {
    const said = configError(
      'services:\n  web:\n    image: busybox\n    depends_on:\n      db:\n        condition: service_started\n        required: false\n',
    );
    const message = said.replace(/^compose\.yaml:\d+:\d+: /, '');
    expect(message).toBe('service "web" depends on undefined service "db"');
    expect(PITFALLS).toContain(`\`${message}\``);
  });
});
