// A project rebuilt from what its containers carry, for `-p NAME` where no compose file is at hand (the
// folder was deleted, or the command runs elsewhere): compose does the same from the same labels. It holds
// only what the labels say: each service's name, image and dependencies, and the files and folder it was
// made from. Enough to list, stop, start and remove; nothing to create.
import type { DependencyCondition, Project, Service, ServiceDependency } from '../model/types.js';
import { LABEL, type ContainerState } from '../runtime/types.js';

const CONDITIONS: readonly string[] = [
  'service_started',
  'service_healthy',
  'service_completed_successfully',
] satisfies DependencyCondition[];

/** `db:service_healthy:true,cache:service_started:false` (labels.ts's form), kept to the services present. */
function dependenciesFrom(label: string, present: ReadonlySet<string>): Record<string, ServiceDependency> {
  const out: Record<string, ServiceDependency> = {};
  for (const part of label.split(',')) {
    const [name = '', condition = 'service_started', restart = 'false'] = part.split(':');
    if (!present.has(name)) continue;
    out[name] = {
      condition: (CONDITIONS.includes(condition) ? condition : 'service_started') as DependencyCondition,
      required: true,
      restart: restart === 'true',
    };
  }
  return out;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').filter((s) => s !== '');
}

export function projectFromLabels(
  name: string,
  containers: readonly ContainerState[],
  fallbackDir: string,
): Project {
  // A service's own containers speak for it before its one-offs do; the newest of them last wins.
  const ordered = [...containers].sort(
    (a, b) =>
      Number(a.labels[LABEL.oneoff] !== 'True') - Number(b.labels[LABEL.oneoff] !== 'True') ||
      a.createdAt - b.createdAt,
  );
  const present = new Set(ordered.map((c) => c.labels[LABEL.service] ?? '').filter((s) => s !== ''));
  const services: Record<string, Service> = {};
  let workingDir: string | undefined;
  let configFiles: string[] = [];
  let envFiles: string[] = [];
  for (const c of ordered) {
    const service = c.labels[LABEL.service];
    if (!service) continue;
    services[service] = {
      image: c.image,
      environment: {},
      labels: {},
      depends_on: dependenciesFrom(c.labels[LABEL.dependsOn] ?? '', present),
      ports: [],
      volumes: [],
      networks: {},
    };
    workingDir = c.labels[LABEL.workingDir] ?? workingDir;
    const files = splitList(c.labels[LABEL.configFiles]);
    if (files.length > 0) configFiles = files;
    const env = splitList(c.labels[LABEL.environmentFile]);
    if (env.length > 0) envFiles = env;
  }
  return {
    name,
    working_dir: workingDir ?? fallbackDir,
    config_files: configFiles,
    env_files: envFiles,
    services,
    networks: {},
    volumes: {},
    configs: {},
    secrets: {},
    extensions: {},
    disabled_services: {},
  };
}
