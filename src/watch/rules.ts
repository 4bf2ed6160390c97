// The watch rules of the selected services, checked the way compose checks them before watching starts.
import type { Project, Service, WatchRule } from '../model/types.js';
import { UsageError } from '../util/errors.js';
import { readDockerignore, relativeInside, ruleFilter, type PathFilter } from './ignore.js';

export interface ServiceRules {
  service: string;
  rules: { rule: WatchRule; accepts: PathFilter }[];
}

const SYNCING = new Set<WatchRule['action']>(['sync', 'sync+restart', 'sync+exec']);

export function isSyncAction(action: WatchRule['action']): boolean {
  return SYNCING.has(action);
}

function where(project: Project): { location: { file: string; line: number; col: number } } {
  return { location: { file: project.config_files[0] ?? project.working_dir, line: 0, col: 0 } };
}

/** Services in scope that declare `develop.watch`; fails as compose does when there are none. */
export function watchedServices(project: Project, selected: readonly string[]): string[] {
  const names = selected.length > 0 ? [...selected] : Object.keys(project.services).sort();
  const watched = names.filter((n) => (project.services[n]?.develop?.watch ?? []).length > 0);
  if (watched.length === 0) {
    throw new UsageError(
      "none of the selected services is configured for watch, consider setting a 'develop' section",
    );
  }
  return watched;
}

/** One line per problem a rule has; empty when it can be watched. */
export function ruleProblems(name: string, service: Service, rule: WatchRule, i: number): string[] {
  const at = `services.${name}.develop.watch[${i}]`;
  const out: string[] = [];
  if (rule.action === 'rebuild' && !service.build) {
    out.push(`can't watch service "${name}" with action rebuild without a build context`);
  }
  if (isSyncAction(rule.action) && !rule.target) out.push(`${at}: target is required for ${rule.action}`);
  if (rule.action === 'sync+exec' && !(rule.exec?.command && rule.exec.command.length > 0)) {
    out.push(`${at}: exec.command is required for sync+exec`);
  }
  return out;
}

/** A sync rule whose path is also bind-mounted needs no copying: the container already sees the files. */
export function boundPath(service: Service, rule: WatchRule): boolean {
  return service.volumes.some(
    (v) => v.type === 'bind' && v.source !== undefined && relativeInside(v.source, rule.path) !== undefined,
  );
}

export async function loadServiceRules(
  project: Project,
  services: readonly string[],
  warn: (line: string) => void,
): Promise<ServiceRules[]> {
  const out: ServiceRules[] = [];
  for (const name of services) {
    const service = project.services[name] as Service;
    const rules = service.develop?.watch ?? [];
    const problems = rules.flatMap((r, i) => ruleProblems(name, service, r, i));
    if (problems.length > 0) throw new UsageError(problems[0] as string, where(project));
    const context = service.build?.context;
    const dockerignore = await readDockerignore(context);
    const entry: ServiceRules = { service: name, rules: [] };
    for (const rule of rules) {
      if (isSyncAction(rule.action) && boundPath(service, rule)) {
        warn(`path '${rule.path}' also declared by a bind mount volume, this path won't be monitored`);
        continue;
      }
      const accepts = ruleFilter({
        rule,
        ...(context ? { buildContext: context } : {}),
        ...(dockerignore ? { dockerignore } : {}),
      });
      entry.rules.push({ rule, accepts });
    }
    if (entry.rules.length > 0) out.push(entry);
  }
  return out;
}
