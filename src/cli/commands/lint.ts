// `cmp lint [services...]`: load the project (no runtime) and report its pitfalls. Exit 1 when a
// finding has error severity, so CI can gate on it.
import type { GlobalOptions } from '../globals.js';
import { loadOptionsFromGlobals } from '../load-options.js';

export async function run(
  g: GlobalOptions,
  opts: Record<string, unknown>,
  args: string[] = [],
): Promise<number> {
  const lintLib = await import('../../lint/index.js');
  const cwd = process.cwd();
  const { project, sources } = await lintLib.loadForLint(loadOptionsFromGlobals(g, cwd));
  const { runtimeKindFor } = await import('../context.js');
  const runtime = runtimeKindFor(g, project);
  const findings = lintLib.lint({ project, sources, runtime }, { services: args });
  const format = typeof opts.format === 'string' ? opts.format : 'text';
  if (format === 'json') process.stdout.write(lintLib.formatJson(findings, cwd));
  else if (format === 'sarif') process.stdout.write(lintLib.formatSarif(findings, cwd));
  else {
    process.stdout.write(lintLib.formatText(findings, cwd));
    process.stderr.write(lintLib.summaryLine(findings));
  }
  return lintLib.hasErrors(findings) ? 1 : 0;
}
