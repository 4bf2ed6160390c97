// Networks, volumes and images: created when missing, externals checked, foreign look-alikes reported.
import type { Network, Project, Service, Volume } from '../model/types.js';
import { LABEL } from '../runtime/types.js';
import { EngineError } from '../util/errors.js';
import { networkConfigHash, volumeConfigHash } from './config-hash.js';
import { imageRef, pullPolicy } from './service-facts.js';
import type { ImageStep, ObservedState, ResourceStep } from './types.js';

function usedNetworks(project: Project, scope: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const name of scope) {
    const s = project.services[name];
    if (!s || s.network_mode) continue;
    for (const key of Object.keys(s.networks ?? {})) used.add(key);
  }
  return used;
}

function usedVolumes(project: Project, scope: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const name of scope) {
    for (const v of project.services[name]?.volumes ?? []) {
      if (v.type === 'volume' && v.source && project.volumes[v.source]) used.add(v.source);
    }
  }
  return used;
}

type Observed = { labels: Record<string, string> } | null | undefined;

function resourceStep<T extends Network | Volume>(
  kind: 'network' | 'volume',
  projectName: string,
  key: string,
  config: T,
  observed: Observed,
  hash: (c: T) => string,
  warnings: string[],
): ResourceStep<T> {
  const name = config.name;
  if (config.external) {
    if (!observed) {
      throw new EngineError(
        kind === 'network'
          ? `network ${name} declared as external, but could not be found`
          : `external volume "${name}" not found`,
        { hint: `create ${kind} ${name} first, or remove external: true from ${kind}s.${key}` },
      );
    }
    return { action: 'external', key, name, config };
  }
  if (!observed) return { action: 'create', key, name, config };
  if (observed.labels[LABEL.project] !== projectName) {
    warnings.push(
      `a ${kind} with name ${name} exists but was not created by compose. Set \`external: true\` to use an existing ${kind}`,
    );
  } else {
    const recorded = observed.labels[LABEL.configHash];
    if (recorded && recorded !== hash(config) && kind === 'network')
      return { action: 'recreate', key, name, config, containers: [] };
    if (recorded && recorded !== hash(config)) {
      warnings.push(
        `${kind} ${name} exists but does not match its configuration in the compose file; run \`cmp down\` to apply the change`,
      );
    }
  }
  return { action: 'exists', key, name, config };
}

export function planNetworks(
  project: Project,
  scope: readonly string[],
  observed: ObservedState,
  warnings: string[],
  all = false,
): ResourceStep<Network>[] {
  return [...(all ? Object.keys(project.networks) : usedNetworks(project, scope))]
    .filter((key) => project.networks[key])
    .map((key) => {
      const config = project.networks[key] as Network;
      return resourceStep(
        'network',
        project.name,
        key,
        config,
        observed.declaredNetworks[config.name],
        networkConfigHash,
        warnings,
      );
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function planVolumes(
  project: Project,
  scope: readonly string[],
  observed: ObservedState,
  warnings: string[],
  all = false,
): ResourceStep<Volume>[] {
  return [...(all ? Object.keys(project.volumes) : usedVolumes(project, scope))]
    .map((key) => {
      const config = project.volumes[key] as Volume;
      return resourceStep(
        'volume',
        project.name,
        key,
        config,
        observed.declaredVolumes[config.name],
        volumeConfigHash,
        warnings,
      );
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function planImages(project: Project, scope: readonly string[], observed: ObservedState): ImageStep[] {
  return scope.map((service) => {
    const { ref, buildOnly } = imageRef(project, service);
    const policy = buildOnly ? 'build' : pullPolicy(project.services[service] as Service);
    return { service, ref, policy, buildOnly, present: Boolean(observed.images[ref]) };
  });
}
