// The scripted `up` of a three-service project shared by the UI tests (and the tmux fixture).
import { readFileSync } from 'node:fs';
import type { EngineEvent } from '../../../src/engine/events.js';

export interface Script {
  pauseBefore: number;
  events: EngineEvent[];
}

export const upScript: Script = JSON.parse(
  readFileSync(new URL('./fixtures/up-events.json', import.meta.url), 'utf8'),
) as Script;
