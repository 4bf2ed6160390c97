// `cmp lint` as a library: load with positions, run the rules, format the findings.
export { loadForLint, sourcesOf } from './sources.js';
export { lint, hasErrors, type LintOptions } from './run.js';
export { RULES, ruleById } from './rules/index.js';
export { formatText, summaryLine } from './format/text.js';
export { formatJson } from './format/json.js';
export { formatSarif } from './format/sarif.js';
export type { Finding, LintRule, LintSources, Severity } from './types.js';
