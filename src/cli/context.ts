// What most commands start with: the loaded project and the runtime it runs on.
import type { Project } from '../model/types.js';
import { projectRuntime } from '../model/extensions.js';
import type { Runtime } from '../runtime/types.js';
import { openRuntime, parseRuntimeKind, type RuntimeKind } from '../runtime/open.js';
import type { GlobalOptions } from './globals.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { holdLock } from '../util/lock.js';
import { projectRunDir } from '../util/paths.js';
import { loadOptionsFromGlobals } from './load-options.js';

export async function loadForCommand(globals: GlobalOptions, services: string[] = []): Promise<Project> {
  const { loadProject } = await import('../loader/index.js');
  const opts = loadOptionsFromGlobals(globals, process.cwd(), services);
  return loadProject({ ...opts, select: false, onWarning: (m) => process.stderr.write(`WARN ${m}\n`) });
}

/** `--runtime`, then CMP_RUNTIME, then the project's `x-cmp.runtime`, then embedded. */
export function runtimeKindFor(globals: GlobalOptions, project?: Project): RuntimeKind {
  if (globals.runtime) return parseRuntimeKind(globals.runtime, '--runtime');
  const env = process.env.CMP_RUNTIME;
  if (env) return parseRuntimeKind(env, 'CMP_RUNTIME');
  const fromFile = project ? projectRuntime(project) : undefined;
  if (fromFile) return parseRuntimeKind(fromFile, 'x-cmp.runtime');
  return 'embedded';
}

export interface CommandContext {
  project: Project;
  runtime: Runtime;
  /**
   * Lets go of the project lock early: for commands that go on watching after their changes are made
   * (attached `up`, `run`), so other commands need not wait for them. Idempotent.
   */
  unlock: () => void;
}

/**
 * The project a command may rebuild from its containers' labels when no compose file is found (the folder
 * is gone, or the command runs elsewhere): only one named on purpose, with -p or COMPOSE_PROJECT_NAME, as
 * compose does. Anything else keeps the loader's error.
 */
async function labelledProjectName(globals: GlobalOptions, e: unknown): Promise<string | undefined> {
  const { NoConfigFileError } = await import('../loader/discover.js');
  if (!(e instanceof NoConfigFileError)) return undefined;
  const { checkExplicit } = await import('../loader/project-name.js');
  if (globals.projectName) return checkExplicit(globals.projectName, '-p');
  const env = process.env.COMPOSE_PROJECT_NAME;
  return env ? checkExplicit(env, 'COMPOSE_PROJECT_NAME') : undefined;
}

/**
 * Loads the project and opens its runtime. `prepare` is for commands that change the project: they take
 * the project's lock (held until the command exits, so two such commands never interleave: the second
 * waits) and let the runtime start what it needs for the project. `fromLabels` is for commands that act
 * on existing containers only: with `-p NAME` and no compose file they work from the labels.
 */
export async function openProject(
  globals: GlobalOptions,
  services: string[] = [],
  opts: { prepare?: boolean; fromLabels?: boolean } = {},
): Promise<CommandContext> {
  let loaded: Project | undefined;
  let labelled: string | undefined;
  try {
    loaded = await loadForCommand(globals, services);
  } catch (e) {
    labelled = opts.fromLabels ? await labelledProjectName(globals, e) : undefined;
    if (labelled === undefined) throw e;
  }
  const name = loaded?.name ?? labelled ?? '';
  const kind = runtimeKindFor(globals, loaded);
  if (opts.prepare && kind === 'embedded') {
    // A new supervisor takes a few hundred ms to boot, mostly on a core this process leaves idle while it
    // loads the runtime and waits for the lock; prepare() then shares this start instead of making its own.
    void import('../runtime/embedded/supervisor/control.js')
      .then((m) => m.ensureSupervisor(name))
      .catch(() => undefined);
  }
  const runtime = await openRuntime(kind);
  let project: Project;
  if (loaded) project = loaded;
  else {
    const { projectFromLabels } = await import('../plan/project-from-labels.js');
    project = projectFromLabels(name, await runtime.listContainers(name, { all: true }), process.cwd());
  }
  let unlock = (): void => undefined;
  if (opts.prepare) {
    await mkdir(projectRunDir(project.name), { recursive: true });
    unlock = await holdLock(join(projectRunDir(project.name), 'project.lock'), {
      timeoutMs: 10 * 60_000,
      label: `project ${project.name}`,
      onWait: (h) =>
        process.stderr.write(
          `waiting for ${h ? `\`${h.what}\` (pid ${h.pid})` : 'another cmp command'} on project ${project.name}\n`,
        ),
    });
    if (runtime.prepare) await runtime.prepare(project);
  } else if (runtime.adopt && !globals.dryRun) {
    await runtime.adopt(project);
  }
  return { project, runtime, unlock };
}
