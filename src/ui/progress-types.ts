import type { EngineEvent } from '../engine/events.js';

/** What the engine drives: events in, then done() once the operation is over. */
export interface Progress {
  onEvent(e: EngineEvent): void;
  /** Draws over the terminal until done(): anything else written there meanwhile would be drawn over. */
  live?: boolean;
  /** Flushes and tears down the renderer (the live view leaves its final frame on screen). */
  done(): Promise<void>;
}
