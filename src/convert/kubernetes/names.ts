// Kubernetes names are stricter than compose names (no `_`, no upper case, at most 63 characters).
// Service names must stay as close to the compose names as possible: clients in the stack still
// connect to `db` or `api`, and the cluster DNS answers the Service's name.

const MAX = 63;

/** A DNS-1035 label: starts with a letter, then lower-case letters, digits and `-`. */
export function dnsLabel(name: string): string {
  let s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  s = s.replace(/^-+/, '').replace(/-+$/, '');
  if (!/^[a-z]/.test(s)) s = `x-${s}`;
  return s.slice(0, MAX).replace(/-+$/, '');
}

/** A ConfigMap/Secret data key: letters, digits, `-`, `_` and `.`. */
export function dataKey(name: string): string {
  const s = name.replace(/[^-._a-zA-Z0-9]+/g, '_');
  return s === '' || s === '.' || s === '..' ? `_${s}` : s;
}

/** A label value: at most 63 characters, alphanumeric at both ends. */
export function labelValue(value: string): string {
  return value
    .replace(/[^-._a-zA-Z0-9]+/g, '-')
    .slice(0, MAX)
    .replace(/^[^a-zA-Z0-9]+/, '')
    .replace(/[^a-zA-Z0-9]+$/, '');
}

export const NAME_LABEL = 'app.kubernetes.io/name';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/** Labels that select a service's pods; also set on every object made for that service. */
export function selectorLabels(project: string, service: string): Record<string, string> {
  return { [NAME_LABEL]: labelValue(dnsLabel(service)), [PART_OF_LABEL]: labelValue(project) };
}

export function objectLabels(project: string, component?: string): Record<string, string> {
  const labels: Record<string, string> = component
    ? selectorLabels(project, component)
    : { [PART_OF_LABEL]: labelValue(project) };
  labels[MANAGED_BY_LABEL] = 'cmp';
  return labels;
}

/**
 * Kubernetes expands `$(VAR)` in env values, command and args; compose passed them through as
 * text, so the converter escapes them to keep the same string in the container.
 */
export function escapeExpansion(s: string): string {
  return s.replace(/\$\(/g, '$$$$(');
}
