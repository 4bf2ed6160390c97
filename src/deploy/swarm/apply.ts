// Sends a planned stack to a Swarm manager: networks and objects first (services refer to them), then each
// service created, updated when its spec hash changed, or left alone; --prune removes what the file dropped.
import type Dockerode from 'dockerode';
import { call } from '../../runtime/docker/errors.js';
import { RuntimeError } from '../../util/errors.js';
import { registryAuth, type RegistryAuth } from './client.js';
import {
  networkByName,
  objectByName,
  stackNetworksLive,
  stackObjects,
  stackServices,
  type LiveService,
} from './engine-state.js';
import { STACK_LABEL } from './names.js';
import { removeWithRetry } from './remove.js';
import type { FileObjectSpec, ServiceSpec, StackPlan } from './types.js';

export interface DeployOptions {
  prune: boolean;
  withRegistryAuth: boolean;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface DeployResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  removed: string[];
}

async function ensureObject(docker: Dockerode, o: FileObjectSpec, log: (l: string) => void): Promise<string> {
  const existing = await objectByName(docker, o.kind, o.Name);
  if (existing) return existing.ID;
  log(`Creating ${o.kind} ${o.Name}`);
  const body = { Name: o.Name, Labels: o.Labels, Data: o.Data };
  const created = (await call(`create ${o.kind} ${o.Name}`, () =>
    o.kind === 'config' ? docker.createConfig(body) : docker.createSecret(body),
  )) as unknown as { id?: string; ID?: string };
  const id = created.id ?? created.ID;
  if (id) return id;
  const again = await objectByName(docker, o.kind, o.Name);
  if (!again) throw new RuntimeError(`docker: ${o.kind} ${o.Name} was created but cannot be found`);
  return again.ID;
}

/** The spec with object IDs filled in: the engine needs them, the hash was taken without them. */
function withObjectIds(spec: ServiceSpec, ids: Map<string, string>): ServiceSpec {
  const c = spec.TaskTemplate.ContainerSpec;
  return {
    ...spec,
    TaskTemplate: {
      ...spec.TaskTemplate,
      ContainerSpec: {
        ...c,
        ...(c.Secrets
          ? { Secrets: c.Secrets.map((r) => ({ ...r, SecretID: ids.get(`secret:${r.SecretName}`) })) }
          : {}),
        ...(c.Configs
          ? { Configs: c.Configs.map((r) => ({ ...r, ConfigID: ids.get(`config:${r.ConfigName}`) })) }
          : {}),
      },
    },
  };
}

async function upsertService(
  docker: Dockerode,
  spec: ServiceSpec,
  live: LiveService | undefined,
  auth: RegistryAuth | undefined,
): Promise<'created' | 'updated' | 'unchanged'> {
  if (!live) {
    await call(`create service ${spec.Name}`, () =>
      auth ? docker.createService(auth, spec as never) : docker.createService(spec as never),
    );
    return 'created';
  }
  const hash = spec.Labels[STACK_LABEL.specHash];
  if (hash !== undefined && live.Spec.Labels?.[STACK_LABEL.specHash] === hash) return 'unchanged';
  // Version.Index makes the update conditional: a concurrent change makes the engine refuse instead of
  // silently losing one of the two.
  const body = { _query: { version: live.Version.Index }, _body: spec };
  const svc = docker.getService(live.ID);
  // dockerode reads the credentials from `authconfig`; `_query`/`_body` keep it out of the request body
  const req = { ...body, ...(auth ? { authconfig: auth } : {}) };
  await call(`update service ${spec.Name}`, () => svc.update(req as never) as Promise<unknown>);
  return 'updated';
}

export async function deployStack(
  docker: Dockerode,
  plan: StackPlan,
  opts: DeployOptions,
): Promise<DeployResult> {
  const log = opts.log;
  for (const name of plan.externalNetworks) {
    if (!(await networkByName(docker, name)))
      throw new RuntimeError(`external network ${name} does not exist`, {
        hint: `create it first: docker network create -d overlay ${name}`,
      });
  }
  const ids = new Map<string, string>();
  for (const o of plan.externalObjects) {
    const found = await objectByName(docker, o.kind, o.name);
    if (!found)
      throw new RuntimeError(`external ${o.kind} ${o.name} does not exist`, {
        hint: `create it first: docker ${o.kind} create ${o.name} FILE`,
      });
    ids.set(`${o.kind}:${o.name}`, found.ID);
  }

  for (const n of plan.networks) {
    const existing = await networkByName(docker, n.Name);
    if (existing?.Scope === 'swarm') continue;
    if (existing)
      throw new RuntimeError(
        `network ${n.Name} exists but is a ${existing.Scope ?? 'local'} ${existing.Driver ?? ''} network`,
        {
          hint: 'remove it (cmp down --runtime docker) or deploy under another --stack name',
        },
      );
    log(`Creating network ${n.Name}`);
    await call(`create network ${n.Name}`, () =>
      docker.createNetwork({ ...n, CheckDuplicate: true } as unknown as Dockerode.NetworkCreateOptions),
    );
  }
  for (const o of plan.objects) ids.set(`${o.kind}:${o.Name}`, await ensureObject(docker, o, log));

  const live = new Map((await stackServices(docker, plan.stack)).map((s) => [s.Spec.Name, s]));
  const result: DeployResult = { created: [], updated: [], unchanged: [], removed: [] };
  for (const spec of plan.services) {
    const auth = opts.withRegistryAuth
      ? registryAuth(spec.TaskTemplate.ContainerSpec.Image, opts.env)
      : undefined;
    const outcome = await upsertService(docker, withObjectIds(spec, ids), live.get(spec.Name), auth);
    log(
      `${outcome === 'created' ? 'Creating' : outcome === 'updated' ? 'Updating' : 'Unchanged'} service ${spec.Name}`,
    );
    result[outcome].push(spec.Name);
  }

  if (opts.prune) {
    const wanted = new Set(plan.services.map((s) => s.Name));
    for (const [name, s] of live) {
      if (wanted.has(name)) continue;
      log(`Removing service ${name}`);
      await call(`remove service ${name}`, () => docker.getService(s.ID).remove());
      result.removed.push(name);
    }
    await pruneObjects(docker, plan, log);
  }
  return result;
}

/** Old versions of configs and secrets, and networks no service uses any more. */
async function pruneObjects(docker: Dockerode, plan: StackPlan, log: (l: string) => void): Promise<void> {
  const keep = new Set(plan.objects.map((o) => `${o.kind}:${o.Name}`));
  for (const kind of ['config', 'secret'] as const) {
    for (const o of await stackObjects(docker, kind, plan.stack)) {
      if (keep.has(`${kind}:${o.Spec.Name}`)) continue;
      log(`Removing ${kind} ${o.Spec.Name}`);
      // tasks of the previous spec may still hold it for a moment while the update rolls out
      await removeWithRetry(`remove ${kind} ${o.Spec.Name}`, () =>
        kind === 'config' ? docker.getConfig(o.ID).remove() : docker.getSecret(o.ID).remove(),
      );
    }
  }
  const nets = new Set(plan.networks.map((n) => n.Name));
  for (const n of await stackNetworksLive(docker, plan.stack)) {
    if (nets.has(n.Name)) continue;
    log(`Removing network ${n.Name}`);
    await removeWithRetry(`remove network ${n.Name}`, () => docker.getNetwork(n.Id).remove());
  }
}
