// Picks and builds the runtime driver. Each driver is imported only when chosen, so a docker user
// never loads the embedded runtime's code and the other way round.
import type { Runtime } from './types.js';
import { UsageError } from '../util/errors.js';

export type RuntimeKind = 'embedded' | 'docker';

export function parseRuntimeKind(text: string, source: string): RuntimeKind {
  if (text === 'embedded' || text === 'docker') return text;
  throw new UsageError(`${source}: unknown runtime '${text}'`, { hint: "use 'embedded' or 'docker'" });
}

const opened: Runtime[] = [];

export async function openRuntime(kind: RuntimeKind): Promise<Runtime> {
  if (kind === 'docker') {
    const { DockerRuntime } = await import('./docker/runtime.js');
    return new DockerRuntime();
  }
  const { openEmbeddedRuntime } = await import('./embedded/open.js');
  const rt = await openEmbeddedRuntime();
  opened.push(rt);
  return rt;
}

/** Waits for what the runtimes this process opened left running (Runtime.flush); throws its error. */
export async function flushRuntimes(): Promise<void> {
  for (const rt of opened) await rt.flush?.();
}
