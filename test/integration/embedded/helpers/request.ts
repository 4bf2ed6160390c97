// Builds ContainerCreateRequests the way the engine would, from a partial service.
import type { Project, Service } from '../../../../src/model/types.js';
import { LABEL, type ContainerCreateRequest, type ImageInfo } from '../../../../src/runtime/types.js';

export function project(name: string, volumes: string[] = []): Project {
  return {
    name,
    working_dir: '/tmp',
    config_files: [],
    env_files: [],
    services: {},
    networks: { default: { name: `${name}_default` } },
    volumes: Object.fromEntries(volumes.map((v) => [v, { name: `${name}_${v}` }])),
    configs: {},
    secrets: {},
    extensions: {},
    disabled_services: {},
  };
}

export function request(
  p: Project,
  serviceName: string,
  image: ImageInfo,
  service: Partial<Service>,
  number = 1,
): ContainerCreateRequest {
  const s: Service = {
    environment: {},
    labels: {},
    depends_on: {},
    ports: [],
    volumes: [],
    networks: { default: null },
    ...service,
  };
  p.services[serviceName] = s;
  return {
    name: `${p.name}-${serviceName}-${number}`,
    project: p,
    serviceName,
    service: s,
    number,
    oneoff: false,
    labels: { [LABEL.project]: p.name, [LABEL.service]: serviceName, [LABEL.number]: String(number) },
    image,
    networks: [{ network: `${p.name}_default`, aliases: [serviceName] }],
  };
}
