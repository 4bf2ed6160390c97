// One line per visible state change, as compose's plain mode prints them (` Container p-web-1  Started`,
// no elapsed time): scripts grep these lines.
import type { EngineEvent } from '../engine/events.js';
import { paint, type ColorName } from './ansi.js';
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
      const { line, changed } = lines.apply(e);
      // A service's own wait row is the live view's; compose prints the dependency's containers
      // (`Waiting`, then `Healthy`), which the engine reports as events of their own.
      if (!changed || (e.kind === 'service' && e.action === 'waiting')) return;
      const tint = STATE_COLOR[line.state];
      const status = tint ? paint(line.status, tint, color) : line.status;
      const detail = line.detail && line.state !== 'done' ? ` ${line.detail}` : '';
      write(` ${kindLabel(line.kind)} ${line.name}  ${status}${detail}\n`);
    },
    done: () => Promise.resolve(),
  };
}
