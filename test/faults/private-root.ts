// The fault suites damage state on purpose (records, network files, the address memory): they do so in a
// state root and run root of their own, set here before anything reads the environment, so no other
// suite running on the host sees their damage. The leak check follows the same roots.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { writeDockerSaveTar } from '../setup/images.js';
import { cmp, psJson } from '../e2e/helpers.js';

const base = mkdtempSync(join(tmpdir(), 'cf-'));
export const STATE_ROOT = join(base, 's');
export const RUN_ROOT = join(base, 'r');
process.env.CMP_STATE_ROOT = STATE_ROOT;
process.env.CMP_RUN_ROOT = RUN_ROOT;

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

export const IMAGE = 'cmp-test/faults:1';

/** A command that runs until stopped and stops at once on SIGTERM. */
export const SLEEP = `["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]`;

/** The fault suites' project: web depends on db; `web` and `tail` add lines to web and to the file. */
export function dbAndWeb(web = '', tail = ''): string {
  return `
services:
  db:
    image: ${IMAGE}
    command: ${SLEEP}
  web:
    image: ${IMAGE}
    command: ${SLEEP}
    depends_on: [db]
${web}${tail}`;
}

/** The busybox test image in this root's store. */
export async function loadImage(): Promise<void> {
  const tar = join(base, 'image.tar');
  await writeDockerSaveTar(tar, { tags: [IMAGE] });
  const load = await cmp(['image', 'load', '-i', tar], { cwd: base });
  if (load.code !== 0) throw new Error(`cmp image load failed (${load.code}): ${load.stderr}`);
}

export interface PsRow {
  ID: string;
  Service: string;
  State: string;
}

export const ps = (dir: string, project: string): Promise<PsRow[]> => psJson<PsRow>(dir, project);

/** What a removed container may not leave under the roots: its folder, its bundle, conmon's socket link. */
export function leftovers(): string[] {
  const out: string[] = [];
  for (const d of [join(STATE_ROOT, 'containers'), join(RUN_ROOT, 'containers'), join(RUN_ROOT, 'sock')]) {
    if (existsSync(d)) for (const e of readdirSync(d)) out.push(join(d, e));
  }
  return out;
}

/** Exactly one running container per service, the project's services sorted. */
export function oneRunningEach(rows: PsRow[]): string[] {
  return rows.map((r) => `${r.Service}:${r.State}`).sort();
}
