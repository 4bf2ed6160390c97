// `cmp system prune`: what removed containers, projects and networks leave on the host over time and
// nothing else removes: broken containers of any project (a create or a removal cut short, a folder
// holding only an empty exits/: listBroken finds every folder without a record or a live creator), conmon's socket links of containers that are gone, the run folders of projects
// with no containers and no cmp process (supervisor logs, lock files), and the address memory of
// networks that no longer exist. Each line returned says what went.
import { readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runRoot } from '../../util/paths.js';
import { lockHolder } from '../../util/lock.js';
import { processAlive } from '../../util/process.js';
import { LABEL } from '../types.js';
import { socketDir } from './containers/paths.js';
import { scanContainers } from './containers/meta.js';
import { NetStateStore } from './net/state.js';
import type { EmbeddedRuntime } from './runtime.js';

/** Files a project's run folder holds (runtime/embedded/supervisor/protocol.ts, watch/control.ts, cli/context.ts). */
const PROJECT_FILES = [
  'supervisor.log',
  'supervisor.pid',
  'project.lock',
  'cmp.sock',
  'watch.pid',
  'watch.log',
];

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function projectIdle(dir: string): Promise<boolean> {
  for (const lock of ['supervisor.pid', 'project.lock']) if (await lockHolder(join(dir, lock))) return false;
  try {
    const pid = Number(readFileSync(join(dir, 'watch.pid'), 'utf8').trim());
    if (pid > 0 && processAlive(pid)) return false;
  } catch {
    // no watcher
  }
  return true;
}

export async function pruneState(runtime: EmbeddedRuntime): Promise<string[]> {
  const out: string[] = [];
  for (const id of await runtime.removeBrokenContainers()) out.push(`removed broken container ${id}`);

  const { metas, unrecorded } = await scanContainers();
  const live = new Set([...metas.map((m) => m.id), ...unrecorded]);
  for (const link of list(socketDir())) {
    if (live.has(link)) continue;
    await rm(join(socketDir(), link), { force: true, recursive: true });
    out.push(`removed socket link ${join(socketDir(), link)}`);
  }

  const projects = new Set(metas.map((m) => m.labels[LABEL.project] ?? ''));
  for (const name of list(runRoot())) {
    const dir = join(runRoot(), name);
    const files = list(dir);
    if (projects.has(name) || files.length === 0 || !files.every((f) => PROJECT_FILES.includes(f))) continue;
    if (!(await projectIdle(dir))) continue;
    await rm(dir, { recursive: true, force: true });
    out.push(`removed run folder of project ${name} (${dir})`);
  }

  const store = new NetStateStore();
  await store.locked(async () => {
    const names = new Set((await store.networks()).map((n) => n.name));
    const mem = await store.memory();
    const gone = [...new Set([...Object.keys(mem.subnets), ...Object.keys(mem.addresses)])].filter(
      (n) => !names.has(n),
    );
    if (gone.length === 0) return;
    for (const n of gone) {
      delete mem.subnets[n];
      delete mem.addresses[n];
      out.push(`forgot the addresses of removed network ${n}`);
    }
    await store.saveMemory(mem);
  });
  return out;
}
