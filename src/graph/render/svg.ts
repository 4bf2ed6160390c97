// A standalone SVG, drawn by cmp itself so `cmp graph --format svg -o g.svg` opens in any browser
// with no Graphviz installed. Geometry is in svg-layout.ts; this file only draws.
import { edgeLabel, type EdgeKind, type GraphView } from './view.js';
import { CHAR_W, layout, LINE_H, nodeLines, type Box } from './svg-layout.js';

const COLOR: Record<EdgeKind, string> = {
  depends_on: '#333333',
  links: '#1f6feb',
  namespace: '#8250df',
  volumes_from: '#bf8700',
};
const LEGEND: Array<{ label: string; color: string; dash?: string; width?: number }> = [
  { label: 'depends_on', color: COLOR.depends_on },
  { label: 'required: false', color: COLOR.depends_on, dash: '6 4' },
  { label: 'links', color: COLOR.links, width: 2.5 },
  { label: 'network_mode/ipc/pid', color: COLOR.namespace },
  { label: 'volumes_from', color: COLOR.volumes_from },
  { label: 'network / volume', color: '#8c959f', dash: '2 3' },
];
const LEGEND_H = 2 * LINE_H;

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

function nearest(px: number, py: number, b: Box): [number, number] {
  // Point on the rectangle's border closest to (px, py); (px, py) lies outside it.
  return [Math.min(Math.max(px, b.x), b.x + b.w), Math.min(Math.max(py, b.y), b.y + b.h)];
}

function label(x: number, y: number, text: string, color: string): string[] {
  const w = text.length * CHAR_W * 0.85 + 8;
  return [
    `<rect x="${n(x - w / 2)}" y="${n(y - 8)}" width="${n(w)}" height="14" rx="3" fill="#ffffff" fill-opacity="0.9"/>`,
    `<text x="${n(x)}" y="${n(y + 3)}" text-anchor="middle" font-size="10" fill="${color}">${esc(text)}</text>`,
  ];
}

export function renderSvg(view: GraphView): string {
  const L = layout(view, LEGEND_H);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(L.width)}" height="${n(L.height)}" viewBox="0 0 ${n(L.width)} ${n(L.height)}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="12">`,
    `<title>${esc(`${view.project}: service graph`)}</title>`,
    '<defs>',
  ];
  for (const [kind, color] of Object.entries(COLOR))
    out.push(
      `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`,
    );
  out.push('</defs>', `<rect width="100%" height="100%" fill="#ffffff"/>`);

  for (const c of L.clusters) {
    const b = c.box;
    out.push(
      `<g class="network" id="${esc(`network-${c.network}`)}">`,
      `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" rx="12" fill="#f3f6fa" stroke="#8c959f"/>`,
      `<text x="${n(b.x + 10)}" y="${n(b.y + 16)}" font-size="11" fill="#57606a">network ${esc(c.network)}</text>`,
      '</g>',
    );
  }

  // Membership lines first so service boxes cover their ends.
  for (const s of view.services) {
    if (s.networks.length < 2) continue;
    const b = L.nodes.get(s.name) as Box;
    const cx = b.x + b.w / 2;
    const cy = b.y + b.h / 2;
    for (const net of s.networks) {
      const cb = L.clusters.find((c) => c.network === net)?.box;
      if (!cb) continue;
      const [tx, ty] = nearest(cx, cy, cb);
      out.push(
        `<line x1="${n(cx)}" y1="${n(cy)}" x2="${n(tx)}" y2="${n(ty)}" stroke="#8c959f" stroke-dasharray="2 3"/>`,
      );
    }
  }
  for (const v of view.volumes) {
    const vb = L.volumes.get(v.name) as Box;
    for (const m of v.mounts) {
      const b = L.nodes.get(m.service) as Box;
      out.push(
        `<line x1="${n(b.x + b.w / 2)}" y1="${n(b.y + b.h)}" x2="${n(vb.x + vb.w / 2)}" y2="${n(vb.y)}" stroke="#8c959f" stroke-dasharray="2 3"/>`,
      );
    }
  }

  const labels: string[] = [];
  for (const e of view.edges) {
    const a = L.nodes.get(e.from) as Box;
    const b = L.nodes.get(e.to) as Box;
    const x1 = a.x + a.w / 2;
    const y1 = a.y + a.h;
    const x2 = b.x + b.w / 2;
    const y2 = b.y;
    const dy = (y2 - y1) / 2;
    const color = COLOR[e.kind];
    const attrs = [
      `stroke="${color}"`,
      `stroke-width="${e.kind === 'links' ? 2.5 : 1.4}"`,
      'fill="none"',
      `marker-end="url(#arrow-${e.kind})"`,
    ];
    if (!e.required) attrs.push('stroke-dasharray="6 4"');
    out.push(
      `<path class="edge" d="M${n(x1)},${n(y1)} C${n(x1)},${n(y1 + dy)} ${n(x2)},${n(y2 - dy)} ${n(x2)},${n(y2)}" ${attrs.join(' ')}><title>${esc(`${e.from} -> ${e.to}`)}</title></path>`,
    );
    // Near the dependency's end: edges fanning out of one service start together but end apart, so
    // their captions do not pile up.
    const t = 0.72;
    const u = 1 - t;
    const lx = u * u * u * x1 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x2;
    const ly = u * u * u * y1 + 3 * u * u * t * (y1 + dy) + 3 * u * t * t * (y2 - dy) + t * t * t * y2;
    const text = edgeLabel(e);
    if (text) labels.push(...label(lx, ly, text, color));
  }
  out.push(...labels);

  for (const s of view.services) {
    const b = L.nodes.get(s.name) as Box;
    const lines = nodeLines(s);
    out.push(
      `<g class="service" id="${esc(`service-${s.name}`)}">`,
      `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" rx="6" fill="#ffffff" stroke="#57606a" stroke-width="1.2"/>`,
    );
    lines.forEach((line, i) => {
      const weight = i === 0 ? ' font-weight="bold"' : ' fill="#57606a"';
      out.push(`<text x="${n(b.x + 10)}" y="${n(b.y + LINE_H * (i + 1))}"${weight}>${esc(line)}</text>`);
    });
    out.push('</g>');
  }
  for (const v of view.volumes) {
    const b = L.volumes.get(v.name) as Box;
    out.push(
      `<g class="volume" id="${esc(`volume-${v.name}`)}">`,
      `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" rx="14" fill="#fff8c5" stroke="#9a6700"/>`,
      `<text x="${n(b.x + 10)}" y="${n(b.y + LINE_H)}" fill="#9a6700">volume</text>`,
      `<text x="${n(b.x + 10)}" y="${n(b.y + 2 * LINE_H)}" font-weight="bold">${esc(v.name)}</text>`,
      '</g>',
    );
  }

  let lx = 20;
  const ly = L.legendY;
  out.push('<g class="legend" font-size="10">');
  for (const item of LEGEND) {
    const dash = item.dash ? ` stroke-dasharray="${item.dash}"` : '';
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${item.color}" stroke-width="${item.width ?? 1.4}"${dash}/>`,
      `<text x="${lx + 34}" y="${ly + 4}" fill="#57606a">${esc(item.label)}</text>`,
    );
    lx += 34 + item.label.length * 6.2 + 18;
  }
  out.push('</g>', '</svg>');
  return `${out.join('\n')}\n`;
}
