// Attributes the schema accepts but the chosen runtime does not apply (`pid: host` on the embedded
// runtime still gets its own PID namespace): silent acceptance reads as support, so each one written in
// the files is reported where it was written. The data is src/model/compose-support.ts, the same table
// docs/compose-support.md is rendered from, so the warning and the doc cannot disagree.
import { COMPOSE_SUPPORT } from '../../model/compose-support.js';
import type { Project } from '../../model/types.js';
import type { LintSources } from '../types.js';
import type { LintRule, LintRuntime, RuleHit } from '../types.js';

/** The model's top-level key for each section of the table. */
const ROOTS: Readonly<Record<string, keyof Project>> = {
  service: 'services',
  network: 'networks',
  volume: 'volumes',
  config: 'configs',
  secret: 'secrets',
};

function other(runtime: LintRuntime): LintRuntime {
  return runtime === 'embedded' ? 'docker' : 'embedded';
}

export function ignoredAttributes(project: Project, sources: LintSources, runtime: LintRuntime): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const [key, support] of Object.entries(COMPOSE_SUPPORT)) {
    if (support[runtime] !== 'no') continue;
    const dot = key.indexOf('.');
    const section = key.slice(0, dot);
    const attr = key.slice(dot + 1);
    const elsewhere = support[other(runtime)] === 'no' ? '' : `, or run it with --runtime ${other(runtime)}`;
    const note = support.note ? ` (${support.note})` : '';
    if (section === 'top-level') {
      if (sources.raw([attr]) === undefined) continue;
      hits.push({
        path: [attr],
        message: `${attr} is accepted but not applied by the ${runtime} runtime${note}`,
        fix: `remove ${attr}${elsewhere}`,
      });
      continue;
    }
    const root = ROOTS[section];
    if (root === undefined) continue;
    const owners = Object.keys(project[root] as Record<string, unknown>);
    for (const name of owners) {
      if (sources.raw([root, name, attr]) === undefined) continue;
      hits.push({
        ...(section === 'service' ? { service: name } : {}),
        path: [root, name, attr],
        message: `${section === 'service' ? name : `${section} ${name}`}: ${attr} is accepted but not applied by the ${runtime} runtime${note}`,
        fix: `remove ${attr} from ${name}${elsewhere}`,
      });
    }
  }
  return hits;
}

export const ignoredByRuntime: LintRule = {
  id: 'ignored-by-runtime',
  severity: 'warning',
  why: 'the schema accepts the attribute, but the runtime the project runs on does nothing with it',
  fix: 'remove the attribute, or choose a runtime that applies it (docs/compose-support.md)',
  check({ project, sources, runtime }) {
    return ignoredAttributes(project, sources, runtime ?? 'embedded');
  },
};
