// Public surface of the planner.
export { computeUpPlan, findOrphans, orphanWarning } from './plan-up.js';
export { computeDownPlan, computeStopPlan } from './plan-down.js';
export { formatDownPlan, formatStopPlan, formatUpPlan } from './plan-text.js';
export { observe } from './observe.js';
export { serviceConfigHash, networkConfigHash, volumeConfigHash, canonicalJson } from './config-hash.js';
export { containerLabels, networkLabels, volumeLabels, dependsOnLabel } from './labels.js';
export type * from './types.js';
