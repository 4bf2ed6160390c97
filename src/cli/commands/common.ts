// What the project commands share: where output goes, and which containers a command acts on.
import type { EventSink } from '../../engine/events.js';
import { buildGraph } from '../../graph/dependency-graph.js';
import type { Project } from '../../model/types.js';
import { containerNumber, isOneoff } from '../../plan/plan-containers.js';
import { LABEL, type ContainerState, type Runtime } from '../../runtime/types.js';
import { RuntimeError, UsageError } from '../../util/errors.js';
import { colorEnabled } from '../../ui/ansi.js';
import { writeStdout } from '../stdout-closed.js';

/** Output of a command's logic; tests collect it in strings, the CLI sends it to stdout and stderr. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** Progress events (the session's sink on the CLI). */
  sink?: EventSink;
  /** Ctrl-C. */
  signal?: AbortSignal;
  /** Whether `out` takes colours (a terminal without NO_COLOR). */
  color?: boolean;
  now?(): number;
  /** Called once the command's changes are made and it only watches (releases the project lock). */
  changesDone?(): void;
  /** Ends the live progress view before output of the command's own follows (the session's). */
  endProgress?(): Promise<void>;
  /** Runs `fn` on a second Ctrl-C (force) while registered; returns the unregistration. */
  onForce?(fn: () => void): () => void;
}

export function stdio(extra: Partial<CommandIO> = {}): CommandIO {
  return {
    out: writeStdout,
    err: (t) => void (process.stderr.destroyed ? undefined : process.stderr.write(t)),
    color: colorEnabled(process.stdout, process.env),
    ...extra,
  };
}

export function nowOf(io: CommandIO): number {
  return io.now ? io.now() : Date.now();
}

export type OneoffFilter = 'include' | 'exclude' | 'only';

export interface Selection {
  services?: readonly string[];
  /** Stopped containers too. */
  all: boolean;
  oneoff?: OneoffFilter;
  /** `--index N`: only replica N. */
  index?: number;
}

export { isOneoff };

export function serviceOf(c: ContainerState): string {
  return c.labels[LABEL.service] ?? '';
}

export function checkServices(project: Project, services: readonly string[]): void {
  for (const s of services) {
    if (!project.services[s]) throw new UsageError(`no such service: ${s}`);
  }
}

/** The project's containers, by name, narrowed to the named services. */
export async function selectContainers(
  runtime: Runtime,
  project: Project,
  sel: Selection,
): Promise<ContainerState[]> {
  const services = sel.services ?? [];
  checkServices(project, services);
  const oneoff = sel.oneoff ?? 'exclude';
  const list = await runtime.listContainers(project.name, { all: sel.all });
  return list
    .filter((c) => services.length === 0 || services.includes(serviceOf(c)))
    .filter((c) => (oneoff === 'include' ? true : oneoff === 'only' ? isOneoff(c) : !isOneoff(c)))
    .filter((c) => sel.index === undefined || (!isOneoff(c) && containerNumber(c) === sel.index))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Dependencies first (or dependents first with `reverse`), then by name; unknown services last. */
export function inDependencyOrder(
  project: Project,
  containers: readonly ContainerState[],
  reverse = false,
): ContainerState[] {
  const order = buildGraph(project).order;
  const rank = (c: ContainerState): number => {
    const i = order.indexOf(serviceOf(c));
    return i < 0 ? order.length : reverse ? order.length - 1 - i : i;
  };
  return [...containers].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** The one container `exec`, `port` and friends act on: replica `index` (default 1) of a service. */
export async function serviceContainer(
  runtime: Runtime,
  project: Project,
  service: string,
  index = 1,
  opts: { running?: boolean } = {},
): Promise<ContainerState> {
  const found = await selectContainers(runtime, project, { services: [service], all: true, index });
  const c = found[0];
  if (!c) throw new RuntimeError(`service "${service}" has no container${index > 1 ? ` #${index}` : ''}`);
  if (opts.running && c.status !== 'running')
    throw new RuntimeError(`container ${c.name} is not running`, { hint: `it is ${c.status}` });
  return c;
}
