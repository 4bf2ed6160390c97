// The terminal picture: one tree per entry point (a service nothing depends on), each child being what
// its parent waits for, then the networks and volumes. A subtree already printed is referred to, not
// repeated, so shared dependencies do not blow the output up.
import type { GraphView, ServiceNode, ViewEdge } from './view.js';

function describe(s: ServiceNode): string {
  const bits = [s.image];
  if (s.ports.length > 0) bits.push(`ports ${s.ports.join(' ')}`);
  if (s.networkMode) bits.push(`network_mode ${s.networkMode}`);
  return `${s.name} [${bits.join('; ')}]`;
}

function condition(e: ViewEdge): string {
  const parts: string[] = e.sources.includes('depends_on') ? [e.condition] : [];
  for (const s of e.sources) if (s !== 'depends_on') parts.push(s);
  if (!e.required) parts.push('required: false');
  if (e.restart && e.sources.includes('depends_on')) parts.push('restart: true');
  return parts.join(', ');
}

export function renderText(view: GraphView): string {
  const byName = new Map(view.services.map((s) => [s.name, s]));
  const deps = new Map<string, ViewEdge[]>();
  for (const e of view.edges) deps.set(e.from, [...(deps.get(e.from) ?? []), e]);
  const hasDependents = new Set(view.edges.map((e) => e.to));
  const printed = new Set<string>();
  const out: string[] = [];

  const walk = (name: string, prefix: string, childPrefix: string, via?: ViewEdge): void => {
    const node = byName.get(name) as ServiceNode;
    const how = via ? `  <- ${condition(via)}` : '';
    if (printed.has(name) && (deps.get(name) ?? []).length > 0) {
      out.push(`${prefix}${name}${how}  (dependencies shown above)`);
      return;
    }
    out.push(`${prefix}${describe(node)}${how}`);
    printed.add(name);
    const children = deps.get(name) ?? [];
    children.forEach((e, i) => {
      const last = i === children.length - 1;
      walk(e.to, `${childPrefix}${last ? '└── ' : '├── '}`, `${childPrefix}${last ? '    ' : '│   '}`, e);
    });
  };

  out.push(`project ${view.project}: ${view.services.length} service(s); child <- condition it waits for`);
  for (const s of view.services.filter((n) => !hasDependents.has(n.name))) walk(s.name, '', '');
  for (const m of view.missingOptional)
    out.push(`(${m.from} optionally depends on ${m.to}, not in the project)`);

  if (view.networks.length > 0) {
    out.push('', 'networks');
    for (const n of view.networks) {
      const flags = [n.external ? 'external' : '', n.internal ? 'internal' : ''].filter(Boolean);
      const members = n.members.map((m) =>
        m.aliases.length > 0 ? `${m.service} (aliases ${m.aliases.join(', ')})` : m.service,
      );
      out.push(`  ${n.name}${flags.length ? ` [${flags.join(', ')}]` : ''}: ${members.join(', ')}`);
    }
  }
  if (view.volumes.length > 0) {
    out.push('', 'volumes');
    for (const v of view.volumes) {
      const mounts = v.mounts.map((m) => `${m.service}:${m.target}${m.readOnly ? ':ro' : ''}`);
      out.push(`  ${v.name}${v.external ? ' [external]' : ''}: ${mounts.join(', ') || '(unused)'}`);
    }
  }
  return `${out.join('\n')}\n`;
}
