// Phase 13, select: keep only the services named on the command line and what they depend on.
import type { Project } from '../model/types.js';

export function selectServices(p: Project, named: string[]): void {
  if (named.length === 0) return;
  const keep = new Set<string>();
  const visit = (n: string): void => {
    if (keep.has(n) || !(n in p.services)) return;
    keep.add(n);
    for (const dep of Object.keys(p.services[n]?.depends_on ?? {})) visit(dep);
  };
  named.forEach(visit);
  for (const n of Object.keys(p.services)) if (!keep.has(n)) delete p.services[n];
}
