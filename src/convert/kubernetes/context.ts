// What every conversion step shares: the project, the options, and the findings it reports.
import { isAbsolute, relative } from 'node:path';
import type { Project } from '../../model/types.js';
import type { ConvertOptions, Finding } from './types.js';

export interface ConvertContext {
  project: Project;
  options: ConvertOptions;
  findings: Finding[];
  /** Compose service name -> Kubernetes object name. */
  names: Map<string, string>;
  /** Services that run to completion as Jobs (others wait on them with service_completed_successfully). */
  jobs: Set<string>;
  /** Long-running services without ports: they get a headless Service so their name resolves. */
  headless: Set<string>;
}

export function report(
  ctx: ConvertContext,
  subject: string,
  attribute: string,
  outcome: Finding['outcome'],
  reason: string,
): void {
  ctx.findings.push({ subject, attribute, outcome, reason });
}

export function nameOf(ctx: ConvertContext, service: string): string {
  return ctx.names.get(service) ?? service;
}

/** A host path as the user wrote it: relative to the project folder when inside it. */
export function displayPath(ctx: ConvertContext, path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(ctx.project.working_dir, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : `./${rel}`;
}
