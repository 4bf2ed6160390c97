// Runs a visitor over the dependency graph: a node starts once every neighbour on the near side is done,
// independent branches overlap up to a concurrency bound, and ready nodes start in name order so runs repeat.
import type { DependencyGraph } from './dependency-graph.js';
import { cmp } from './dependency-graph.js';

export type Direction = 'up' | 'down';

export interface TraverseOptions {
  /** 'up': dependencies first (start); 'down': dependents first (stop, remove). */
  direction: Direction;
  /** Only these nodes are visited; edges to nodes outside are ignored. Default: all. */
  only?: ReadonlySet<string>;
  /** Maximum visitors in flight; default unbounded. */
  concurrency?: number;
  signal?: AbortSignal;
}

export class TraversalAborted extends Error {
  constructor() {
    super('traversal aborted');
    this.name = 'TraversalAborted';
  }
}

/**
 * Visits every selected node once. The first visitor error stops new visits, lets running ones settle and
 * is rethrown; an abort does the same with TraversalAborted.
 */
export async function traverse(
  graph: DependencyGraph,
  opts: TraverseOptions,
  visit: (node: string, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const only = opts.only ?? new Set(graph.nodes);
  const nodes = graph.nodes.filter((n) => only.has(n));
  const before = (n: string): string[] =>
    opts.direction === 'up'
      ? (graph.dependencies.get(n) ?? []).map((e) => e.service).filter((d) => only.has(d))
      : (graph.dependents.get(n) ?? []).filter((d) => only.has(d));
  const after = (n: string): string[] =>
    opts.direction === 'up'
      ? (graph.dependents.get(n) ?? []).filter((d) => only.has(d))
      : (graph.dependencies.get(n) ?? []).map((e) => e.service).filter((d) => only.has(d));

  const pending = new Map(nodes.map((n) => [n, new Set(before(n))]));
  const ready = nodes.filter((n) => (pending.get(n)?.size ?? 0) === 0);
  const limit = Math.max(1, opts.concurrency ?? Number.POSITIVE_INFINITY);
  const inner = new AbortController();
  const onAbort = (): void => inner.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  let wake = (): void => undefined;
  let running = 0;
  let failure: { error: unknown } | undefined;
  let done = 0;
  try {
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        if (opts.signal?.aborted && !failure) failure = { error: new TraversalAborted() };
        while (!failure && running < limit && ready.length > 0) {
          ready.sort(cmp);
          const node = ready.shift() as string;
          running++;
          visit(node, inner.signal).then(
            () => {
              running--;
              done++;
              for (const next of after(node)) {
                const waiting = pending.get(next);
                waiting?.delete(node);
                if (waiting && waiting.size === 0 && !ready.includes(next)) ready.push(next);
              }
              pump();
            },
            (error: unknown) => {
              running--;
              if (!failure) {
                failure = { error };
                inner.abort(error);
              }
              pump();
            },
          );
        }
        if (running === 0 && (failure || ready.length === 0)) resolve();
      };
      wake = pump;
      opts.signal?.addEventListener('abort', wake, { once: true });
      pump();
    });
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    opts.signal?.removeEventListener('abort', wake);
  }
  if (failure) throw failure.error;
  if (done !== nodes.length) throw new TraversalAborted();
}
