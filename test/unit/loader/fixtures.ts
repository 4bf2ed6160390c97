// Runs one fixture folder through the loader the way the table tests need it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadProject, type LoadOptions } from '../../../src/loader/index.js';
import { projectView } from '../../../src/loader/serialize.js';

export interface CaseOptions {
  cwd?: string;
  files?: string[];
  projectName?: string;
  projectDirectory?: string;
  envFiles?: string[];
  profiles?: string[];
  interpolate?: boolean;
  env?: Record<string, string>;
  services?: string[];
  stdin?: string;
}

export interface CaseResult {
  project: unknown;
  warnings: string[];
}

/** Absolute fixture paths become `<case>` so expected files do not depend on where the repo lives. */
export function relativize(value: unknown, dir: string): unknown {
  return JSON.parse(JSON.stringify(value).split(dir).join('<case>')) as unknown;
}

export async function runCase(dir: string): Promise<CaseResult> {
  const optPath = join(dir, 'options.json');
  const o: CaseOptions = existsSync(optPath)
    ? (JSON.parse(readFileSync(optPath, 'utf8')) as CaseOptions)
    : {};
  const warnings: string[] = [];
  const opts: LoadOptions = {
    cwd: resolve(dir, o.cwd ?? '.'),
    files: o.files ?? [],
    projectName: o.projectName,
    projectDirectory: o.projectDirectory,
    envFiles: o.envFiles ?? [],
    profiles: o.profiles ?? [],
    interpolate: o.interpolate ?? true,
    env: { HOME: '/home/tester', ...o.env },
    services: o.services,
    readStdin: async () => readFileSync(join(dir, o.stdin ?? 'stdin.yaml'), 'utf8'),
    onWarning: (m) => warnings.push(m),
  };
  const project = await loadProject(opts);
  return { project: relativize(projectView(project), dir), warnings: relativize(warnings, dir) as string[] };
}
