// One line per visible state change, as compose's plain mode prints them, with the time the resource
// has taken so far.
import type { EngineEvent } from '../engine/events.js';
import { paint, type ColorName } from './ansi.js';
import { seconds } from './format.js';
import type { Progress } from './progress-types.js';
import { kindLabel, ResourceLines, type LineState } from './resource-lines.js';

const STATE_COLOR: Record<LineState, ColorName | undefined> = {
  working: undefined,
  done: 'green',
  warning: 'yellow',
  error: 'red',
};

export function plainProgress(write: (text: string) => void, color: boolean): Progress {
  const lines = new ResourceLines();
  return {
    onEvent(e: EngineEvent): void {
      const { line, changed, isNew } = lines.apply(e);
      if (!changed) return;
      const tint = STATE_COLOR[line.state];
      const status = tint ? paint(line.status, tint, color) : line.status;
      const elapsed = isNew ? '' : ` ${paint(seconds(line.lastAt - line.firstAt), 'dim', color)}`;
      const detail = line.detail && line.state !== 'done' ? ` ${line.detail}` : '';
      write(` ${kindLabel(line.kind)} ${line.name}  ${status}${elapsed}${detail}\n`);
    },
    done: () => Promise.resolve(),
  };
}
