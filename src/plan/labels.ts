// Labels exactly as docker compose writes them, so `docker compose ps` and `cmp ps` see the same stack
// on the Docker backend and observation works from labels alone on both backends.
import type { Network, Project, Service, Volume } from '../model/types.js';
import { LABEL } from '../runtime/types.js';
import { VERSION } from '../version.js';
import { networkConfigHash, serviceConfigHash, volumeConfigHash } from './config-hash.js';

/** `dep:condition:restart`, comma separated, sorted by dependency name. */
export function dependsOnLabel(service: Service): string {
  return Object.keys(service.depends_on ?? {})
    .sort()
    .map((dep) => {
      const d = service.depends_on[dep];
      return `${dep}:${d?.condition ?? 'service_started'}:${d?.restart ? 'true' : 'false'}`;
    })
    .join(',');
}

export function containerLabels(
  project: Project,
  serviceName: string,
  number: number,
  imageId: string | undefined,
  replaces?: string,
): Record<string, string> {
  const service = project.services[serviceName] as Service;
  const labels: Record<string, string> = {
    ...service.labels,
    [LABEL.project]: project.name,
    [LABEL.service]: serviceName,
    [LABEL.number]: String(number),
    [LABEL.configHash]: serviceConfigHash(service, project),
    [LABEL.oneoff]: 'False',
    [LABEL.dependsOn]: dependsOnLabel(service),
    [LABEL.workingDir]: project.working_dir,
    [LABEL.configFiles]: project.config_files.join(','),
    [LABEL.version]: VERSION,
  };
  if (project.env_files.length > 0) labels[LABEL.environmentFile] = project.env_files.join(',');
  if (imageId) labels[LABEL.image] = imageId;
  if (replaces) labels[LABEL.replace] = replaces;
  return labels;
}

export function networkLabels(project: Project, key: string, network: Network): Record<string, string> {
  return {
    ...network.labels,
    [LABEL.project]: project.name,
    [LABEL.network]: key,
    [LABEL.configHash]: networkConfigHash(network),
    [LABEL.version]: VERSION,
  };
}

export function volumeLabels(project: Project, key: string, volume: Volume): Record<string, string> {
  return {
    ...volume.labels,
    [LABEL.project]: project.name,
    [LABEL.volume]: key,
    [LABEL.configHash]: volumeConfigHash(volume),
    [LABEL.version]: VERSION,
  };
}
