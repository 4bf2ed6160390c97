// docs/compose-support.md must cover every attribute of our schema: the generator's --check fails when the
// table lacks one, and when the Markdown on disk is stale.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const SCRIPT = join(ROOT, 'scripts/gen-compose-support.mjs');

function check(extra: string[] = []): { ok: boolean; stderr: string } {
  try {
    execFileSync(process.execPath, [SCRIPT, '--check', ...extra], { stdio: 'pipe' });
    return { ok: true, stderr: '' };
  } catch (e) {
    return { ok: false, stderr: String((e as { stderr?: Buffer }).stderr ?? '') };
  }
}

describe('docs/compose-support.md', () => {
  it('covers every schema attribute and is what the script generates', () => {
    // On failure: add the attribute to src/model/compose-support.ts, then npm run build && node scripts/gen-compose-support.mjs
    expect(check()).toEqual({ ok: true, stderr: '' });
  });

  it('fails when the schema has an attribute the table lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cmp-support-'));
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/compose.schema.json'), 'utf8')) as {
      $defs: { Service: { properties: Record<string, unknown> } };
    };
    schema.$defs.Service.properties.brand_new_attribute = { type: 'string' };
    writeFileSync(join(dir, 'schema.json'), JSON.stringify(schema));
    const res = check(['--schema', join(dir, 'schema.json'), '--out', join(dir, 'out.md')]);
    expect(res.ok).toBe(false);
    expect(res.stderr).toContain(
      'service.brand_new_attribute: in the schema, missing from src/model/compose-support.ts',
    );
  });

  it('says something about every service attribute a reader looks for', () => {
    const md = readFileSync(join(ROOT, 'docs/compose-support.md'), 'utf8');
    for (const attr of ['depends_on', 'healthcheck', 'ports', 'network_mode', 'secrets', 'build'])
      expect(md).toMatch(new RegExp(`^\\| \`${attr}\` \\| (yes|no|partly) \\| (yes|no|partly) \\|`, 'm'));
  });
});
