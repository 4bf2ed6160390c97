// One entry for `cmp graph`: pick a renderer by format name.
import type { GraphView } from './view.js';
import { renderDot } from './dot.js';
import { renderMermaid } from './mermaid.js';
import { renderSvg } from './svg.js';
import { renderText } from './text.js';

export const GRAPH_FORMATS = ['text', 'mermaid', 'dot', 'svg'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function renderGraph(view: GraphView, format: GraphFormat): string {
  switch (format) {
    case 'mermaid':
      return renderMermaid(view);
    case 'dot':
      return renderDot(view);
    case 'svg':
      return renderSvg(view);
    case 'text':
      return renderText(view);
  }
}

export { buildView, type GraphView, type ViewOptions } from './view.js';
