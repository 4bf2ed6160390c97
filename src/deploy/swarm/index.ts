// `cmp deploy` / `cmp undeploy` to Docker Swarm: check the project, report what Swarm cannot do (all of
// it, before anything is sent), plan the stack, then print it (--dry-run) or send it.
import type { Project } from '../../model/types.js';
import { ModelError, UsageError } from '../../util/errors.js';
import { checkProject } from './check.js';
import { requireManager, swarmClient } from './client.js';
import { deployStack, type DeployResult } from './apply.js';
import { formatIssue, locateIssues } from './locate.js';
import { validStackName } from './names.js';
import { planStack, printablePlan } from './plan.js';
import type { DeployIssue, StackPlan } from './types.js';
import { undeployStack, type UndeployResult } from './undeploy.js';

export interface SwarmDeployOptions {
  stack?: string;
  prune: boolean;
  withRegistryAuth: boolean;
  dryRun: boolean;
  env: NodeJS.ProcessEnv;
  /** Progress and issue lines (stderr in the CLI). */
  log: (line: string) => void;
  /** The dry-run output (stdout in the CLI). */
  print: (text: string) => void;
}

export function stackName(project: Project, given: string | undefined): string {
  const name = given ?? project.name;
  if (!validStackName(name))
    throw new UsageError(`stack name "${name}" is not valid`, {
      hint: 'use lower-case letters, digits, "-" and "_", starting with a letter or digit',
    });
  return name;
}

/** Reports every issue; throws when any is an error, so nothing is deployed. */
export function reportIssues(
  project: Project,
  env: NodeJS.ProcessEnv,
  log: (l: string) => void,
): DeployIssue[] {
  const issues = locateIssues(checkProject(project, env), project.config_files);
  for (const i of issues) log(formatIssue(i));
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0];
  if (first) {
    throw new ModelError(
      `the project cannot be deployed to Swarm: ${errors.length} error${errors.length > 1 ? 's' : ''}, nothing was deployed`,
      { ...(first.location ? { location: first.location } : {}), hint: 'see the lines above' },
    );
  }
  return issues;
}

export async function deploy(
  project: Project,
  opts: SwarmDeployOptions,
): Promise<{ plan: StackPlan; result?: DeployResult }> {
  const stack = stackName(project, opts.stack);
  reportIssues(project, opts.env, opts.log);
  const plan = planStack(project, stack, opts.env);
  if (opts.dryRun) {
    opts.print(`${JSON.stringify(printablePlan(plan), null, 2)}\n`);
    return { plan };
  }
  const { docker, address } = swarmClient(opts.env);
  await requireManager(docker, address);
  const result = await deployStack(docker, plan, {
    prune: opts.prune,
    withRegistryAuth: opts.withRegistryAuth,
    log: opts.log,
    env: opts.env,
  });
  return { plan, result };
}

export async function undeploy(
  stack: string,
  opts: { env: NodeJS.ProcessEnv; log: (l: string) => void; dryRun: boolean },
): Promise<UndeployResult> {
  if (!validStackName(stack)) throw new UsageError(`stack name "${stack}" is not valid`);
  const { docker, address } = swarmClient(opts.env);
  await requireManager(docker, address);
  if (opts.dryRun) {
    opts.log(`would remove stack ${stack}`);
    return { removed: [] };
  }
  return undeployStack(docker, stack, opts.log);
}
