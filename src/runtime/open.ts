// Picks and builds the runtime driver. Each driver is imported only when chosen, so a docker user
// never loads the embedded runtime's code and the other way round.
import type { Runtime } from './types.js';
import { UsageError } from '../util/errors.js';

export type RuntimeKind = 'embedded' | 'docker';

export function parseRuntimeKind(text: string, source: string): RuntimeKind {
  if (text === 'embedded' || text === 'docker') return text;
  throw new UsageError(`${source}: unknown runtime '${text}'`, { hint: "use 'embedded' or 'docker'" });
}

export async function openRuntime(kind: RuntimeKind): Promise<Runtime> {
  if (kind === 'docker') {
    const { DockerRuntime } = await import('./docker/runtime.js');
    return new DockerRuntime();
  }
  const { openEmbeddedRuntime } = await import('./embedded/open.js');
  return openEmbeddedRuntime();
}
