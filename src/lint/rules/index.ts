// Every lint rule, in the order docs/lint.md lists them. A rule is one module: add it here.
import type { LintRule } from '../types.js';
import { databasePortExposed } from './database-port-exposed.js';
import { hardcodedIp } from './hardcoded-ip.js';
import { healthyWithoutHealthcheck } from './healthy-without-healthcheck.js';
import { ignoredByRuntime } from './ignored-by-runtime.js';
import { imageUnpinned } from './image-unpinned.js';
import { legacyLinks } from './legacy-links.js';
import { networkModeHost } from './network-mode-host.js';
import { networkModeServiceDependency } from './network-mode-service-dependency.js';
import { pid1ShellSignals } from './pid1-shell-signals.js';
import { privileged } from './privileged.js';
import { readinessWithoutHealthcheck } from './readiness-without-healthcheck.js';
import { restartAlwaysCompletionDependency } from './restart-always-completion-dependency.js';
import { restartLoopOneShot } from './restart-loop-one-shot.js';
import { unreachableAlias } from './unreachable-alias.js';
import { unreachableServiceName } from './unreachable-service-name.js';

export const RULES: readonly LintRule[] = [
  readinessWithoutHealthcheck,
  healthyWithoutHealthcheck,
  restartLoopOneShot,
  restartAlwaysCompletionDependency,
  hardcodedIp,
  legacyLinks,
  unreachableServiceName,
  unreachableAlias,
  networkModeServiceDependency,
  databasePortExposed,
  imageUnpinned,
  pid1ShellSignals,
  privileged,
  networkModeHost,
  ignoredByRuntime,
];

export function ruleById(id: string): LintRule | undefined {
  return RULES.find((r) => r.id === id);
}
