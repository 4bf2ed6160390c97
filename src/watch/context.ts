// What the watch actions need from whoever runs them (the `watch` command, attached `up`, the daemon).
import type { EventSink } from '../engine/events.js';
import type { Project } from '../model/types.js';
import type { Runtime } from '../runtime/types.js';

export interface WatchContext {
  runtime: Runtime;
  project: Project;
  /**
   * Runs a step that changes the project (recreate, restart) under the project's lock; a caller that
   * already holds the lock (attached `up`) runs it directly.
   */
  locked<T>(fn: () => Promise<T>): Promise<T>;
  /** One line of output (no newline). */
  log(line: string): void;
  /** Remove the image a rebuild replaced, when nothing uses it any more (compose's `--prune`). */
  prune: boolean;
  /** Progress of the engine steps; none keeps the output to the batch lines. */
  sink?: EventSink;
}
