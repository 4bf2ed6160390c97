// Small builders for the docker-driver tests: a Project and create requests shaped the way the engine layer
// makes them (compose labels, `<project>-<service>-<n>` names, service name and container name as aliases).
import { randomBytes } from 'node:crypto';
import type { Project, Service } from '../../../src/model/types.js';
import { LABEL, type ContainerCreateRequest, type ImageInfo } from '../../../src/runtime/types.js';

export function projectName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export function service(partial: Partial<Service> & { networks?: Service['networks'] }): Service {
  return { environment: {}, labels: {}, depends_on: {}, ports: [], volumes: [], networks: {}, ...partial };
}

export function makeProject(
  name: string,
  networks: string[],
  volumes: string[],
  services: Record<string, Service>,
): Project {
  return {
    name,
    working_dir: '/tmp',
    config_files: ['/tmp/compose.yaml'],
    env_files: [],
    services,
    networks: Object.fromEntries(networks.map((k) => [k, { name: `${name}_${k}` }])),
    volumes: Object.fromEntries(volumes.map((k) => [k, { name: `${name}_${k}` }])),
    configs: {},
    secrets: {},
    extensions: {},
    disabled_services: {},
  };
}

export function composeLabels(project: Project, serviceName: string, number: number): Record<string, string> {
  return {
    [LABEL.project]: project.name,
    [LABEL.service]: serviceName,
    [LABEL.number]: String(number),
    [LABEL.oneoff]: 'False',
    [LABEL.configHash]: 'test',
    [LABEL.version]: '0.1.0',
    [LABEL.workingDir]: project.working_dir,
    [LABEL.configFiles]: project.config_files.join(','),
    [LABEL.dependsOn]: '',
    [LABEL.image]: 'test',
  };
}

/** A request for service `serviceName` replica `number`, attached to the service's networks in key order. */
export function createRequest(
  project: Project,
  serviceName: string,
  image: ImageInfo,
  number = 1,
): ContainerCreateRequest {
  const svc = project.services[serviceName];
  if (!svc) throw new Error(`no service ${serviceName}`);
  const name = `${project.name}-${serviceName}-${number}`;
  const networks = Object.entries(svc.networks).map(([key, att]) => ({
    network: project.networks[key]?.name ?? key,
    aliases: [serviceName, name, ...(att?.aliases ?? [])],
    ...(att?.ipv4_address ? { ipv4Address: att.ipv4_address } : {}),
  }));
  return {
    name,
    project,
    serviceName,
    service: svc,
    number,
    oneoff: false,
    labels: composeLabels(project, serviceName, number),
    image,
    networks,
  };
}
