// Manifests as YAML: one document per object on stdout, or one file per object in a folder.
import { stringify } from 'yaml';
import type { Finding, K8sObject } from './types.js';

export function objectYaml(o: K8sObject): string {
  // lineWidth 0: long shell scripts stay on one line instead of being folded
  return stringify(o, { lineWidth: 0, aliasDuplicateObjects: false });
}

export function fileName(o: K8sObject): string {
  return `${o.metadata.name}-${o.kind.toLowerCase()}.yaml`;
}

export function multiDocument(objects: K8sObject[]): string {
  return objects.map(objectYaml).join('---\n');
}

export function findingLine(f: Finding): string {
  return `${f.subject}: ${f.attribute}: ${f.reason}`;
}

/** The --report table: one row per finding, columns padded to their widest cell. */
export function reportTable(findings: Finding[]): string {
  const rows = [
    ['SUBJECT', 'ATTRIBUTE', 'OUTCOME', 'REASON'],
    ...findings.map((f) => [f.subject, f.attribute, f.outcome, f.reason]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i < 3 ? cell.padEnd(widths[i] as number) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
