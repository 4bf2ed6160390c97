import type { EngineEvent } from '../engine/events.js';

/** What the engine drives: events in, then done() once the operation is over. */
export interface Progress {
  onEvent(e: EngineEvent): void;
  /** Flushes and tears down the renderer (the live view leaves its final frame on screen). */
  done(): Promise<void>;
}
