// Graphviz DOT: `cmp graph --format dot | dot -Tpng > g.png`. Networks are clusters; a service on several
// networks stays outside them and gets a dotted line to an invisible anchor in each cluster (lhead clips
// the line at the cluster's border), with constraint=false so those lines do not change the ranking.
import { IdMaker } from './ids.js';
import { edgeLabel, homeNetwork, type EdgeKind, type GraphView, type ServiceNode } from './view.js';

const KIND_STYLE: Record<EdgeKind, string> = {
  depends_on: 'color="#333333"',
  links: 'color="#1f6feb", penwidth=2',
  namespace: 'color="#8250df", arrowhead=diamond',
  volumes_from: 'color="#bf8700", arrowhead=box',
};

function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function nodeLine(s: ServiceNode, indent: string): string {
  const lines = [s.name, s.image];
  if (s.ports.length > 0) lines.push(s.ports.join(' '));
  if (s.networkMode) lines.push(`network_mode: ${s.networkMode}`);
  return `${indent}${q(s.name)} [label=${q(lines.join('\n'))}];`;
}

export function renderDot(view: GraphView): string {
  const cid = new IdMaker('cluster_net_');
  const out = [
    `digraph ${q(view.project)} {`,
    '  compound=true;',
    '  rankdir=TB;',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="monospace", fontsize=11];',
    '  edge [fontname="monospace", fontsize=9];',
  ];
  for (const net of view.networks) {
    const flags = [net.external ? 'external' : '', net.internal ? 'internal' : ''].filter(Boolean);
    out.push(
      `  subgraph ${cid.id(net.name)} {`,
      `    label=${q(`network ${net.name}${flags.length ? ` (${flags.join(', ')})` : ''}`)};`,
      '    style="rounded,filled"; fillcolor="#f3f6fa"; color="#8c959f";',
      `    ${q(`net:${net.name}`)} [shape=point, style=invis];`,
    );
    for (const s of view.services) if (homeNetwork(s) === net.name) out.push(nodeLine(s, '    '));
    out.push('  }');
  }
  for (const s of view.services) if (homeNetwork(s) === undefined) out.push(nodeLine(s, '  '));
  for (const v of view.volumes)
    out.push(
      `  ${q(`vol:${v.name}`)} [shape=cylinder, style=filled, fillcolor="#fff8c5", label=${q(v.name)}];`,
    );

  for (const e of view.edges) {
    const attrs = [`label=${q(edgeLabel(e))}`, KIND_STYLE[e.kind]];
    if (!e.required) attrs.push('style=dashed');
    out.push(`  ${q(e.from)} -> ${q(e.to)} [${attrs.join(', ')}];`);
  }
  for (const s of view.services) {
    if (s.networks.length < 2) continue;
    for (const n of s.networks)
      out.push(
        `  ${q(s.name)} -> ${q(`net:${n}`)} [lhead=${cid.id(n)}, style=dotted, arrowhead=none, color="#8c959f", constraint=false];`,
      );
  }
  for (const v of view.volumes)
    for (const m of v.mounts)
      out.push(
        `  ${q(m.service)} -> ${q(`vol:${v.name}`)} [label=${q(`${m.target}${m.readOnly ? ' (ro)' : ''}`)}, style=dotted, arrowhead=none, color="#9a6700"];`,
      );
  out.push('}');
  return `${out.join('\n')}\n`;
}
