// What the CLI calls. Nothing here prints: progress goes out as EngineEvents through the EventSink.
export { planUp, up } from './up.js';
export { down, stop } from './down.js';
export { start, restart } from './start.js';
export type { StartOptions, RestartOptions } from './start.js';
export type { EngineEvent, EventSink } from './events.js';
export type { UpOptions, DownOptions, UpPlan, DownPlan, StopPlan } from '../plan/types.js';
