// The loader: compose files in, canonical Project out, reading files exactly as `docker compose`
// does. The phases run in this fixed order (compose-go's order; docs/loader.md explains each):
//
//   1. discover      discover.ts      which files, which project directory (-f, COMPOSE_FILE, parent walk)
//   2. environment   environment.ts   .env / --env-file under the process environment
//   3. parse         parse.ts         YAML to a plain tree with positions; anchors, `<<`, tags
//   4. name          project-name.ts  -p > COMPOSE_PROJECT_NAME > name: > folder
//   5. interpolate   interpolate.ts   variables in values, per file, then casts by path
//   6. paths         paths.ts         relative paths made absolute, per file
//   7. include       include.ts       included projects loaded and their resources copied in
//   8. extends       extends.ts       services merged over their bases
//   9. merge         merge.ts         files folded together; `!reset` / `!override` applied
//  10. validate      ../schema/validate.ts  the merged tree against the JSON schema
//  11. normalise     normalize/       long syntax, resource names, implicit dependencies
//  12. profiles      profiles.ts      services switched off by profiles set aside
//  13. consistency   consistency.ts   references, cycles, clashes
//  14. select        select.ts        services named on the command line and their dependencies
//  15. service env   service-env.ts   env_file read into environment
import { dirname, resolve } from 'node:path';
import type { IncludedEnvFiles, Project } from '../model/types.js';
import { registerLocator } from '../model/source-locator.js';
import { validateCompose } from '../schema/validate.js';
import { LoadError } from '../util/errors.js';
import { findDefaultFiles, NoConfigFileError, resolveFiles } from './discover.js';
import { buildEnvironment, overlayEnvironment, type Env } from './environment.js';
import { ExtendsResolver } from './extends.js';
import { applyIncludes } from './include.js';
import { interpolateTree, interpolationBudget } from './interpolate.js';
import { readText, type FileSettings } from './load-file.js';
import { mergeFiles, stripTags } from './merge.js';
import { addDefaultNetwork, normalizeProject } from './normalize/project.js';
import { parseYaml, type ParsedFile } from './parse.js';
import { resolveFilePaths } from './paths.js';
import { locate } from './positions.js';
import { activeProfiles, applyProfiles } from './profiles.js';
import { resolveProjectName } from './project-name.js';
import { checkConsistency } from './consistency.js';
import { selectServices } from './select.js';
import { resolveServiceEnvironments } from './service-env.js';
import type { Mapping } from './tree.js';

export interface LoadOptions {
  cwd: string;
  files: string[];
  projectName?: string;
  projectDirectory?: string;
  envFiles: string[];
  profiles: string[];
  interpolate: boolean;
  env: Record<string, string | undefined>;
  services?: string[];
  /**
   * Keep only the named services and their dependencies (default). Commands that act on a running project
   * pass false: the engine scopes the work itself, and the services left out are not orphans.
   */
  select?: boolean;
  readStdin?: () => Promise<string>;
  onWarning?: (message: string) => void;
}

export async function loadProject(opts: LoadOptions): Promise<Project> {
  const warn = opts.onWarning ?? (() => undefined);
  const cwd = resolve(opts.cwd);
  const explicitDir = opts.projectDirectory ? resolve(cwd, opts.projectDirectory) : undefined;
  const firstFile = opts.files[0];
  const firstDir = firstFile && firstFile !== '-' ? dirname(resolve(cwd, firstFile)) : undefined;

  // 1-2. The env file sits in the project directory, which may only be known once files are found. As
  // compose 2.26: with no -f and no COMPOSE_FILE in the shell, a compose file found walking up from
  // here makes its folder's .env the one read; only when none is found is this folder's .env read
  // first, to learn COMPOSE_FILE.
  const filesNamed = opts.files.length > 0 || !!opts.env.COMPOSE_FILE;
  let envDir = explicitDir ?? firstDir ?? (filesNamed ? undefined : discoveredDir(cwd)) ?? cwd;
  let envRes = buildEnvironment(opts.env, opts.envFiles, cwd, envDir);
  const files = resolveFiles(
    opts.files,
    envRes.env.COMPOSE_FILE,
    envRes.env.COMPOSE_PATH_SEPARATOR,
    cwd,
    explicitDir ?? cwd,
    warn,
  );
  const first = files[0] as string;
  const projectDir = explicitDir ?? (first === '-' ? cwd : dirname(first));
  if (projectDir !== envDir && opts.envFiles.length === 0) {
    const first = envRes;
    envDir = projectDir;
    envRes = buildEnvironment(opts.env, opts.envFiles, cwd, envDir);
    // The .env that named the files keeps its values over the project directory's, as compose reads
    // both and keeps what is set first (a nested folder's .env over its parent's).
    if (!filesNamed && first.files.length > 0) envRes = overlayEnvironment(envRes, first);
  }
  const env: Env = { ...envRes.env };

  // 3. parse
  const parsed: ParsedFile[] = [];
  let stdin: string | undefined;
  for (const f of files) {
    if (f === '-') {
      if (stdin === undefined) {
        if (!opts.readStdin) throw new LoadError('reading a compose file from stdin is not available here');
        stdin = await opts.readStdin();
      }
      parsed.push(parseYaml(stdin, '-', '<stdin>'));
    } else {
      parsed.push(parseYaml(readText(f), f, f));
    }
  }

  // 4. project name, exported for interpolation like compose does
  const lookup = (n: string): string | undefined => env[n];
  const name = resolveProjectName(
    opts.projectName,
    env.COMPOSE_PROJECT_NAME,
    parsed.map((p) => p.tree),
    projectDir,
    lookup,
    opts.interpolate,
  );
  if (env.COMPOSE_PROJECT_NAME === undefined) env.COMPOSE_PROJECT_NAME = name;

  const settings: FileSettings = {
    interpolate: opts.interpolate,
    lookup,
    warned: new Set(),
    budget: interpolationBudget(),
    warn,
    home: env.HOME,
  };
  const envSources: IncludedEnvFiles = { configs: {}, secrets: {} };
  // 5-8, per file
  let merged: Mapping | undefined;
  for (const p of parsed) {
    let tree = p.tree;
    if (opts.interpolate)
      interpolateTree(tree, { lookup, warned: settings.warned, warn, budget: settings.budget });
    resolveFilePaths(tree, projectDir, settings.home);
    tree = applyIncludes(tree, p.file, settings, env, p.file === '-' ? [] : [p.file], envSources);
    new ExtendsResolver(settings).resolveAll(tree, p.file);
    // 9. merge
    merged = merged ? mergeFiles(merged, tree) : tree;
  }
  const tree = stripTags(merged ?? {}) as Mapping;
  if ('version' in tree) {
    warn(
      'the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion',
    );
    delete tree.version;
  }

  // 10. validate
  validateCompose(tree, (path) => locate(tree, path));
  const hasContent = ['services', 'networks', 'volumes', 'configs', 'secrets'].some((k) => tree[k] != null);
  if (!hasContent)
    throw new LoadError('empty compose file', {
      location: { file: parsed[0]?.display ?? first, line: 0, col: 0 },
    });

  // 11-15
  const project = normalizeProject(tree, name, projectDir, { raw: !opts.interpolate });
  project.config_files = files.map((f) => (f === '-' ? '-' : f));
  project.env_files = envRes.files;
  if (Object.keys(envSources.configs).length + Object.keys(envSources.secrets).length > 0)
    project.included_env_files = envSources;
  applyProfiles(project, activeProfiles(opts.profiles, env.COMPOSE_PROFILES), opts.services ?? []);
  addDefaultNetwork(project);
  checkConsistency(project, tree);
  if (opts.select !== false) selectServices(project, opts.services ?? []);
  resolveServiceEnvironments(project, tree, lookup);
  registerLocator(project, (path) => locate(tree, path));
  return project;
}

/** The folder of the compose file a walk up from `start` finds, if any. */
function discoveredDir(start: string): string | undefined {
  try {
    return dirname(findDefaultFiles(start, () => undefined)[0] as string);
  } catch (e) {
    if (e instanceof NoConfigFileError) return undefined;
    throw e;
  }
}
