// Phase 11, profiles: services without `profiles` are always on; others need an active profile
// (--profile, else COMPOSE_PROFILES; `*` enables all). A service named on the command line is
// switched on together with its profiles. Switched-off services move to disabled_services.
import type { Project } from '../model/types.js';
import { UsageError } from '../util/errors.js';
import { suggest } from './suggest.js';

export function activeProfiles(flags: string[], envValue: string | undefined): Set<string> {
  const list = flags.length > 0 ? flags : (envValue ?? '').split(',');
  return new Set(list.map((p) => p.trim()).filter((p) => p !== ''));
}

export function applyProfiles(p: Project, active: Set<string>, named: string[]): void {
  const all = { ...p.services };
  for (const n of named) {
    if (!(n in all)) {
      throw new UsageError(`no such service: ${n}`, { hint: suggest(n, Object.keys(all)) });
    }
    for (const prof of all[n]?.profiles ?? []) active.add(prof);
  }
  const everything = active.has('*');
  for (const [name, svc] of Object.entries(all)) {
    const profs = svc.profiles ?? [];
    const on = profs.length === 0 || everything || named.includes(name) || profs.some((x) => active.has(x));
    if (!on) {
      p.disabled_services[name] = svc;
      delete p.services[name];
    }
  }
}
