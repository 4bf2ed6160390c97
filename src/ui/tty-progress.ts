// The live progress view on a terminal. Events are folded into lines right away; the ink view is
// loaded in the background and catches up, so no event is lost while React loads.
import type { EngineEvent } from '../engine/events.js';
import { colorEnabled, type Env, type OutStream } from './ansi.js';
import type { Progress } from './progress-types.js';
import { ResourceLines } from './resource-lines.js';
import { importModule, progressViewModule } from '../util/layout.js';

export function ttyProgress(out: OutStream, env: Env, after?: Promise<unknown>): Progress {
  const lines = new ResourceLines();
  const color = colorEnabled(out, env);
  const view = Promise.all([
    importModule<typeof import('./tty-view.js')>(progressViewModule()),
    after?.catch(() => undefined),
  ]).then(([m]) => m.mountProgressView(out, lines.list(), color));
  // A failed load surfaces from done(); until then it must not crash the process as an unhandled rejection.
  view.catch(() => undefined);
  return {
    live: true,
    onEvent(e: EngineEvent): void {
      lines.apply(e);
      void view.then((v) => v.update(lines.list())).catch(() => undefined);
    },
    async done(): Promise<void> {
      const v = await view;
      await v.finish(lines.list());
    },
  };
}
