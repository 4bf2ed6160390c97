// Which services a command acts on: `up web` brings web's dependencies along unless --no-deps;
// `stop db` / `down db` take db's dependents along so nothing is left running without what it needs.
import { UsageError } from '../util/errors.js';
import type { DependencyGraph } from './dependency-graph.js';

function checkKnown(graph: DependencyGraph, names: readonly string[]): void {
  for (const n of names) {
    if (!graph.nodes.includes(n)) throw new UsageError(`no such service: ${n}`);
  }
}

function closure(start: readonly string[], next: (n: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const n = stack.pop() as string;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...next(n));
  }
  return seen;
}

/** Services plus their transitive dependencies; all services when none are named. */
export function withDependencies(
  graph: DependencyGraph,
  names: readonly string[],
  noDeps = false,
): Set<string> {
  if (names.length === 0) return new Set(graph.nodes);
  checkKnown(graph, names);
  if (noDeps) return new Set(names);
  return closure(names, (n) => (graph.dependencies.get(n) ?? []).map((e) => e.service));
}

/** Services plus their transitive dependents; all services when none are named. */
export function withDependents(graph: DependencyGraph, names: readonly string[]): Set<string> {
  if (names.length === 0) return new Set(graph.nodes);
  checkKnown(graph, names);
  return closure(names, (n) => graph.dependents.get(n) ?? []);
}

/**
 * Dependents that declared `restart: true` on one of `names`, transitively: what `restart db` or a
 * recreate of db must bounce too.
 */
export function restartDependents(graph: DependencyGraph, names: readonly string[]): Set<string> {
  const out = closure(names, (n) =>
    (graph.dependents.get(n) ?? []).filter((d) =>
      (graph.dependencies.get(d) ?? []).some((e) => e.service === n && e.restart),
    ),
  );
  for (const n of names) out.delete(n);
  return out;
}
