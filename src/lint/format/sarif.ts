// SARIF 2.1.0, the format code-scanning tools (GitHub, GitLab, IDEs) import: the rules with their help
// under tool.driver.rules, one result per finding with its physical location.
import { VERSION } from '../../version.js';
import { RULES } from '../rules/index.js';
import type { Finding, Severity } from '../types.js';
import { displayPath } from './text.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

export function formatSarif(findings: readonly Finding[], cwd: string): string {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cmp',
            version: VERSION,
            rules: RULES.map((r) => ({
              id: r.id,
              shortDescription: { text: r.why },
              help: { text: `Fix: ${r.fix}` },
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule),
          level: LEVEL[f.severity],
          message: { text: `${f.message} (fix: ${f.fix})` },
          locations: f.location
            ? [
                {
                  physicalLocation: {
                    artifactLocation: { uri: encodeURI(displayPath(f.location.file, cwd)) },
                    ...(f.location.line > 0
                      ? { region: { startLine: f.location.line, startColumn: f.location.col } }
                      : {}),
                  },
                },
              ]
            : [],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
