// The whole stack a project becomes: networks, configs, secrets and service specs, built without
// talking to the engine (so --dry-run can print it).
import type { Project } from '../../model/types.js';
import { stackNetworks } from './networks.js';
import { fileObjects } from './objects.js';
import { serviceSpec, withHash } from './service-spec.js';
import type { StackPlan } from './types.js';

export function planStack(project: Project, stack: string, hostEnv: NodeJS.ProcessEnv): StackPlan {
  const nets = stackNetworks(project, stack);
  const configs = fileObjects('config', project, stack, hostEnv);
  const secrets = fileObjects('secret', project, stack, hostEnv);
  const ctx = {
    project,
    stack,
    networkNames: nets.names,
    configNames: configs.names,
    secretNames: secrets.names,
    hostEnv,
  };
  return {
    stack,
    networks: nets.specs,
    externalNetworks: nets.external,
    objects: [...configs.specs, ...secrets.specs],
    externalObjects: [...configs.external, ...secrets.external],
    services: Object.entries(project.services).map(([name, s]) => withHash(serviceSpec(name, s, ctx))),
  };
}

/** What --dry-run prints: the plan with secret and config contents left out. */
export function printablePlan(plan: StackPlan): unknown {
  return {
    stack: plan.stack,
    networks: plan.networks,
    configs: plan.objects.filter((o) => o.kind === 'config').map(({ Name, Labels }) => ({ Name, Labels })),
    secrets: plan.objects.filter((o) => o.kind === 'secret').map(({ Name, Labels }) => ({ Name, Labels })),
    services: plan.services,
  };
}
