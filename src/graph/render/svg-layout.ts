// Geometry for the SVG picture: a small layered layout with no external tool. Rows are dependency ranks
// (entry points on top, what they wait for below); each network is a vertical band of columns so its
// cluster is a plain rectangle that never overlaps another; services on several networks (or none) get
// their own band in the middle, between the networks they join.
import { cmp } from '../dependency-graph.js';
import { homeNetwork, type GraphView, type ServiceNode } from './view.js';

export const CHAR_W = 7.2; // monospace 12px advance
export const LINE_H = 16;
const PAD = 10;
const H_GAP = 30;
const V_GAP = 74;
const CLUSTER_PAD = 14;
const CLUSTER_LABEL = 20;
const BAND_GAP = 26;
const MARGIN = 20;
const MAX_CHARS = 34;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  width: number;
  height: number;
  nodes: Map<string, Box>;
  clusters: Array<{ network: string; box: Box }>;
  volumes: Map<string, Box>;
  /** Top of the space left for the legend. */
  legendY: number;
}

/** Text lines of a service box, shortened so one long image name cannot widen every box. */
export function nodeLines(s: ServiceNode): string[] {
  const lines = [s.name, s.image];
  if (s.ports.length > 0) lines.push(s.ports.join(' '));
  if (s.networkMode) lines.push(`network_mode: ${s.networkMode}`);
  return lines.map((l) => (l.length > MAX_CHARS ? `${l.slice(0, MAX_CHARS - 1)}…` : l));
}

const SHARED = '\u0000shared';

function bandOrder(view: GraphView): string[] {
  const nets = view.networks.map((n) => n.name);
  const shared = view.services.some((s) => homeNetwork(s) === undefined);
  if (!shared) return nets;
  const half = Math.ceil(nets.length / 2);
  return [...nets.slice(0, half), SHARED, ...nets.slice(half)];
}

export function layout(view: GraphView, legendHeight: number): Layout {
  const allLines = view.services.map(nodeLines);
  const maxChars = Math.max(8, ...allLines.flat().map((l) => l.length));
  const w = Math.ceil(maxChars * CHAR_W + 2 * PAD);
  const h = Math.max(3, ...allLines.map((l) => l.length)) * LINE_H + PAD;
  const maxRank = Math.max(0, ...view.services.map((s) => s.rank));
  const hasClusters = view.networks.length > 0;
  const top = MARGIN + (hasClusters ? CLUSTER_PAD + CLUSTER_LABEL : 0);
  const rowY = (rank: number): number => top + rank * (h + V_GAP);

  const nodes = new Map<string, Box>();
  const clusters: Layout['clusters'] = [];
  const dependents = new Map<string, string[]>();
  for (const e of view.edges) dependents.set(e.to, [...(dependents.get(e.to) ?? []), e.from]);

  let x = MARGIN;
  for (const band of bandOrder(view)) {
    const members = view.services.filter((s) => (homeNetwork(s) ?? SHARED) === band);
    const inset = band === SHARED ? 0 : CLUSTER_PAD;
    const left = x + inset;
    let columns = 0;
    for (let r = 0; r <= maxRank; r++) {
      // Barycentre of already placed dependents, so edges cross less; names break ties.
      const row = members
        .filter((s) => s.rank === r)
        .map((s) => {
          const xs = (dependents.get(s.name) ?? []).flatMap((d) => {
            const b = nodes.get(d);
            return b ? [b.x] : [];
          });
          return { s, key: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.MAX_VALUE };
        })
        .sort((a, b) => a.key - b.key || cmp(a.s.name, b.s.name));
      row.forEach(({ s }, i) => nodes.set(s.name, { x: left + i * (w + H_GAP), y: rowY(r), w, h }));
      columns = Math.max(columns, row.length);
    }
    const inner = columns > 0 ? columns * w + (columns - 1) * H_GAP : w;
    if (band !== SHARED) {
      const ranks = members.map((s) => s.rank);
      // A network only reached by multi-network services still gets a (single-row) cluster to point at.
      const lo = ranks.length ? Math.min(...ranks) : 0;
      const hi = ranks.length ? Math.max(...ranks) : 0;
      clusters.push({
        network: band,
        box: {
          x,
          y: rowY(lo) - CLUSTER_PAD - CLUSTER_LABEL,
          w: inner + 2 * CLUSTER_PAD,
          h: rowY(hi) - rowY(lo) + h + 2 * CLUSTER_PAD + CLUSTER_LABEL,
        },
      });
    }
    x += inner + 2 * inset + BAND_GAP;
  }

  let bottom = rowY(maxRank) + h + (hasClusters ? CLUSTER_PAD : 0);
  const volumes = new Map<string, Box>();
  if (view.volumes.length > 0) {
    const vy = bottom + V_GAP;
    let vx = MARGIN;
    for (const v of view.volumes) {
      const vw = Math.ceil(Math.max(8, v.name.length + 7) * CHAR_W + 2 * PAD);
      volumes.set(v.name, { x: vx, y: vy, w: vw, h: 2 * LINE_H + PAD });
      vx += vw + H_GAP;
    }
    x = Math.max(x, vx);
    bottom = vy + 2 * LINE_H + PAD;
  }
  const legendY = bottom + 30;
  return {
    width: Math.max(x - BAND_GAP + MARGIN, 820),
    height: legendY + legendHeight + MARGIN,
    nodes,
    clusters,
    volumes,
    legendY,
  };
}
