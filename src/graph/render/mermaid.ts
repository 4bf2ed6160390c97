// Mermaid flowchart: paste into a Markdown file on GitHub/GitLab, or mermaid.live. Networks are
// subgraphs; a service on several networks sits outside them with a dotted line to each subgraph.
import { IdMaker } from './ids.js';
import { edgeLabel, homeNetwork, type GraphView, type ServiceNode, type EdgeKind } from './view.js';

const KIND_COLOR: Record<EdgeKind, string> = {
  depends_on: '#333333',
  links: '#1f6feb',
  namespace: '#8250df',
  volumes_from: '#bf8700',
};

function text(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function nodeLabel(s: ServiceNode): string {
  const lines = [`<b>${text(s.name)}</b>`, text(s.image)];
  if (s.ports.length > 0) lines.push(text(s.ports.join(' ')));
  if (s.networkMode) lines.push(text(`network_mode: ${s.networkMode}`));
  return lines.join('<br/>');
}

export function renderMermaid(view: GraphView): string {
  const sid = new IdMaker('svc_');
  const nid = new IdMaker('net_');
  const vid = new IdMaker('vol_');
  const out = ['flowchart TB'];
  const styles: string[] = [];
  let link = 0;
  const node = (s: ServiceNode, indent: string): void => {
    out.push(`${indent}${sid.id(s.name)}["${nodeLabel(s)}"]`);
  };

  for (const net of view.networks) {
    out.push(`  subgraph ${nid.id(net.name)}["network ${text(net.name)}"]`);
    for (const s of view.services) if (homeNetwork(s) === net.name) node(s, '    ');
    out.push('  end');
  }
  for (const s of view.services) if (homeNetwork(s) === undefined) node(s, '  ');
  for (const v of view.volumes) out.push(`  ${vid.id(v.name)}[("volume ${text(v.name)}")]`);

  for (const e of view.edges) {
    const label = edgeLabel(e);
    const arrow = !e.required ? '-.->' : e.kind === 'links' ? '==>' : '-->';
    out.push(`  ${sid.id(e.from)} ${arrow}|"${text(label)}"| ${sid.id(e.to)}`);
    if (e.kind !== 'depends_on') styles.push(`  linkStyle ${link} stroke:${KIND_COLOR[e.kind]}`);
    link++;
  }
  for (const s of view.services) {
    if (s.networks.length < 2) continue;
    for (const n of s.networks) {
      out.push(`  ${sid.id(s.name)} -.- ${nid.id(n)}`);
      styles.push(`  linkStyle ${link} stroke:#999999`);
      link++;
    }
  }
  for (const v of view.volumes) {
    for (const m of v.mounts) {
      out.push(`  ${sid.id(m.service)} -.-|"${text(m.target)}${m.readOnly ? ' ro' : ''}"| ${vid.id(v.name)}`);
      styles.push(`  linkStyle ${link} stroke:#999999`);
      link++;
    }
  }
  return `${[...out, ...styles].join('\n')}\n`;
}
