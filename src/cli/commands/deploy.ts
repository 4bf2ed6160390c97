// `cmp deploy` and `cmp undeploy`: the project as a Docker Swarm stack (src/deploy/swarm/).
import type { GlobalOptions } from '../globals.js';
import { loadOptionsFromGlobals } from '../load-options.js';

async function loadFor(g: GlobalOptions): Promise<import('../../model/types.js').Project> {
  const { loadProject } = await import('../../loader/index.js');
  return loadProject(loadOptionsFromGlobals(g, process.cwd()));
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

export async function run(g: GlobalOptions, opts: Record<string, unknown>): Promise<number> {
  const project = await loadFor(g);
  const { deploy } = await import('../../deploy/swarm/index.js');
  await deploy(project, {
    ...(typeof opts.stack === 'string' ? { stack: opts.stack } : {}),
    prune: opts.prune === true,
    withRegistryAuth: opts.withRegistryAuth === true,
    dryRun: g.dryRun || opts.dryRun === true,
    env: process.env,
    log,
    print: (t) => void process.stdout.write(t),
  });
  return 0;
}

export async function runUndeploy(g: GlobalOptions, opts: Record<string, unknown>): Promise<number> {
  const { undeploy } = await import('../../deploy/swarm/index.js');
  // without --stack the stack is the project's name, so the file is read only for that
  const stack = typeof opts.stack === 'string' ? opts.stack : (await loadFor(g)).name;
  await undeploy(stack, { env: process.env, log, dryRun: g.dryRun || opts.dryRun === true });
  return 0;
}
