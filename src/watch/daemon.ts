// The detached watcher's process: `node daemon.js <project> <request-json>`. Loads the project as the
// command that started it did, watches until SIGTERM, and leaves by itself once the project has no
// containers left (so a stack removed by other means does not keep a watcher around).
import { rm, writeFile } from 'node:fs/promises';
import { loadProject } from '../loader/index.js';
import { readAllStdin } from '../loader/read-file.js';
import { openRuntime } from '../runtime/open.js';
import { isCmpError } from '../util/errors.js';
import { watchPidFile, type DaemonRequest } from './control.js';
import { openWatch } from './session.js';

const IDLE_CHECK_MS = 5_000;
const CLOSE_GRACE_MS = 2_000;

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

async function main(): Promise<void> {
  const req = JSON.parse(process.argv[3] ?? '{}') as DaemonRequest;
  process.chdir(req.cwd);
  const project = await loadProject({
    ...req.load,
    cwd: req.cwd,
    interpolate: true,
    env: process.env,
    services: req.services,
    select: false,
    readStdin: readAllStdin,
    onWarning: (m) => process.stderr.write(`WARN ${m}\n`),
  });
  const runtime = await openRuntime(req.runtime);
  const handle = await openWatch({ runtime, project, services: req.services, log, prune: req.prune });
  const pidFile = watchPidFile(project.name);
  await writeFile(pidFile, String(process.pid));
  log(`watching project ${project.name}`);
  let closing = false;
  const leave = async (why: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log(`stopping: ${why}`);
    // A batch waiting for the project lock (held by `down`, which is stopping us) must not hold us up.
    setTimeout(() => process.exit(0), CLOSE_GRACE_MS).unref();
    await handle.close().catch(() => undefined);
    await rm(pidFile, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void leave('SIGTERM'));
  process.on('SIGINT', () => void leave('SIGINT'));
  const idle = setInterval(() => {
    void runtime
      .listContainers(project.name, { all: true })
      .then((cs) => (cs.length === 0 ? leave('the project has no containers') : undefined))
      .catch(() => undefined);
  }, IDLE_CHECK_MS);
  idle.unref();
}

main().catch((e: unknown) => {
  log(`error: ${isCmpError(e) ? e.format() : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
