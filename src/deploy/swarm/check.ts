// What Swarm cannot do with a compose file, found before anything is sent. Swarm services (Engine API
// 1.41, dockerd 20.10) have no field for these attributes: warnings say what is dropped, errors stop the
// deploy where the stack could not work at all.
import { isHostRootfs } from '../../model/extensions.js';
import type { Project, Service } from '../../model/types.js';
import type { DeployIssue } from './types.js';

/** Service attributes the ServiceSpec has no place for, with what to use instead. */
const DROPPED: Record<string, string> = {
  container_name: 'Swarm names tasks <stack>_<service>.<slot>.<id>',
  links: 'services on a shared network reach each other by name',
  external_links: "attach to the other stack's network instead",
  network_mode: 'attach the service to networks',
  ipc: 'not available to Swarm services',
  pid: 'not available to Swarm services',
  uts: 'not available to Swarm services',
  userns_mode: 'not available to Swarm services',
  cgroup: 'not available to Swarm services',
  cgroup_parent: 'not available to Swarm services',
  privileged: 'Swarm services cannot be privileged; use cap_add',
  devices: 'Swarm services cannot have devices',
  device_cgroup_rules: 'Swarm services cannot have devices',
  gpus: 'use deploy.resources.reservations.generic_resources',
  restart: 'use deploy.restart_policy',
  security_opt: 'not available to Swarm services',
  shm_size: 'mount a tmpfs at /dev/shm instead',
  volumes_from: 'share a named volume instead',
  mac_address: 'Swarm assigns addresses',
  domainname: 'not available to Swarm services',
  mem_limit: 'use deploy.resources.limits.memory',
  memswap_limit: 'not available to Swarm services',
  mem_reservation: 'use deploy.resources.reservations.memory',
  cpus: 'use deploy.resources.limits.cpus',
  cpu_shares: 'use deploy.resources',
  cpu_quota: 'use deploy.resources.limits.cpus',
  cpu_period: 'use deploy.resources.limits.cpus',
  cpuset: 'not available to Swarm services',
  pids_limit: 'use deploy.resources.limits.pids',
  oom_kill_disable: 'not available to Swarm services',
  oom_score_adj: 'not available to Swarm services',
  blkio_config: 'not available to Swarm services',
  storage_opt: 'not available to Swarm services',
  runtime: 'not available to Swarm services',
  platform: 'use deploy.placement.constraints on node.platform',
  pull_policy: 'Swarm pulls on each node when a task starts',
};

function issue(
  severity: DeployIssue['severity'],
  service: string | undefined,
  path: (string | number)[],
  message: string,
  hint?: string,
): DeployIssue {
  return { severity, ...(service ? { service } : {}), path, message, ...(hint ? { hint } : {}) };
}

function checkService(name: string, s: Service, out: DeployIssue[]): void {
  const at = (...rest: (string | number)[]): (string | number)[] => ['services', name, ...rest];
  if (isHostRootfs(s)) {
    out.push(
      issue(
        'error',
        name,
        at('x-cmp', 'host_rootfs'),
        'a host-rootfs service cannot run on Swarm',
        'give it an image',
      ),
    );
    return;
  }
  if (!s.image) {
    out.push(
      issue(
        'error',
        name,
        at(s.build ? 'build' : 'image'),
        s.build ? 'Swarm cannot build images: this service has only `build`' : 'the service has no image',
        s.build ? 'build and push the image, then set `image`' : 'set `image`',
      ),
    );
  } else if (s.build) {
    out.push(issue('warning', name, at('build'), 'build is ignored by Swarm: the image is used as it is'));
  }
  if (Object.keys(s.depends_on).length > 0 && !s.links?.length) {
    out.push(
      issue(
        'warning',
        name,
        at('depends_on'),
        'depends_on is ignored: Swarm starts services in no order',
        'make the service retry until its dependencies answer',
      ),
    );
  }
  for (const [attr, hint] of Object.entries(DROPPED)) {
    if (s[attr] === undefined || s[attr] === null || s[attr] === false) continue;
    out.push(issue('warning', name, at(attr), `${attr} is not supported by Swarm and is ignored`, hint));
  }
  if (s.healthcheck?.start_interval !== undefined) {
    out.push(
      issue(
        'warning',
        name,
        at('healthcheck', 'start_interval'),
        'healthcheck.start_interval is ignored (needs Engine API 1.44)',
      ),
    );
  }
  s.ports.forEach((p, i) => {
    if (p.host_ip)
      out.push(
        issue(
          'warning',
          name,
          at('ports', i),
          'a published port cannot be bound to one host address in Swarm: host_ip is ignored',
        ),
      );
    if (p.published?.includes('-'))
      out.push(
        issue('error', name, at('ports', i), 'Swarm publishes single ports, not ranges', 'list each port'),
      );
  });
  s.volumes.forEach((v, i) => {
    if (v.type !== 'bind' && v.type !== 'volume' && v.type !== 'tmpfs')
      out.push(
        issue(
          'warning',
          name,
          at('volumes', i),
          `a ${v.type} mount is not supported by Swarm and is skipped`,
        ),
      );
  });
  for (const [net, att] of Object.entries(s.networks)) {
    for (const k of ['ipv4_address', 'ipv6_address', 'mac_address', 'link_local_ips'] as const) {
      if (att?.[k] !== undefined)
        out.push(issue('warning', name, at('networks', net, k), `${k} is ignored: Swarm assigns addresses`));
    }
  }
}

/** Every problem the project would have as a Swarm stack, services first, in file order. */
export function checkProject(project: Project, hostEnv: NodeJS.ProcessEnv): DeployIssue[] {
  const out: DeployIssue[] = [];
  for (const [name, s] of Object.entries(project.services)) checkService(name, s, out);
  for (const [key, n] of Object.entries(project.networks)) {
    if (n.external) continue;
    if (n.driver && n.driver !== 'overlay')
      out.push(
        issue(
          'warning',
          undefined,
          ['networks', key, 'driver'],
          `network driver "${n.driver}" is not a Swarm driver: the network is made as overlay`,
        ),
      );
  }
  for (const kind of ['configs', 'secrets'] as const) {
    for (const [key, def] of Object.entries(project[kind])) {
      if (def.external) continue;
      if (def.file === undefined && def.content === undefined && def.environment === undefined) {
        out.push(
          issue('error', undefined, [kind, key], `${kind}.${key} has no file, content or environment`),
        );
      } else if (def.environment !== undefined && hostEnv[def.environment] === undefined) {
        out.push(
          issue(
            'error',
            undefined,
            [kind, key, 'environment'],
            `${kind}.${key}: environment variable ${def.environment} is not set`,
          ),
        );
      }
    }
  }
  return out;
}
