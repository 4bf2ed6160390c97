// Machine-readable progress: each engine event as one JSON object on its own line.
import type { EngineEvent } from '../engine/events.js';
import type { Progress } from './progress-types.js';

export function jsonProgress(write: (text: string) => void): Progress {
  return {
    onEvent: (e: EngineEvent) => write(`${JSON.stringify(e)}\n`),
    done: () => Promise.resolve(),
  };
}
