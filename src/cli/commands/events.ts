// `cmp events`: the runtime's container events for this project, live, until Ctrl-C.
import type { Project } from '../../model/types.js';
import { LABEL, type Runtime, type RuntimeEvent } from '../../runtime/types.js';
import { formatEvent } from '../format/events.js';
import type { GlobalOptions } from '../globals.js';
import { checkServices, stdio, type CommandIO } from './common.js';
import { open } from './open.js';

/**
 * Keeps the events of this project's containers (and of the named services). Some events (a destroy)
 * carry no labels, so ids seen earlier, or listed at the start, are remembered with their service.
 */
export class EventFilter {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly project: string,
    private readonly services: readonly string[],
  ) {}

  remember(id: string, service: string): void {
    this.known.set(id, service);
  }

  /** The event's service when it belongs to the selection, else undefined. */
  accept(e: RuntimeEvent): string | undefined {
    if (e.type !== 'container') return undefined;
    let service: string | undefined;
    if (e.attributes[LABEL.project] === this.project) {
      service = e.attributes[LABEL.service] ?? '';
      this.known.set(e.id, service);
    } else service = this.known.get(e.id);
    if (service === undefined) return undefined;
    if (this.services.length > 0 && !this.services.includes(service)) return undefined;
    return service;
  }
}

export async function eventsCommand(
  runtime: Runtime,
  project: Project,
  flags: { json: boolean },
  services: string[],
  io: CommandIO,
): Promise<number> {
  checkServices(project, services);
  const filter = new EventFilter(project.name, services);
  for (const c of await runtime.listContainers(project.name, { all: true }))
    filter.remember(c.id, c.labels[LABEL.service] ?? '');
  const signal = io.signal ?? new AbortController().signal;
  try {
    for await (const e of runtime.events(signal)) {
      const service = filter.accept(e);
      if (service !== undefined) io.out(formatEvent(e, service, flags.json));
    }
  } catch (e) {
    if (!signal.aborted) throw e;
  }
  return 0;
}

export async function run(g: GlobalOptions, o: Record<string, unknown>, args: string[]): Promise<number> {
  const { project, runtime } = await open(g, args, { fromLabels: true });
  const ctrl = new AbortController();
  const stopIt = (): void => ctrl.abort();
  process.once('SIGINT', stopIt);
  process.once('SIGTERM', stopIt);
  try {
    return await eventsCommand(
      runtime,
      project,
      { json: o.json === true },
      args,
      stdio({ signal: ctrl.signal }),
    );
  } finally {
    process.off('SIGINT', stopIt);
    process.off('SIGTERM', stopIt);
  }
}
