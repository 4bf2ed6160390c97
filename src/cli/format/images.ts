// `cmp images`: the images the project's containers use.
import { bytes } from '../../ui/format.js';
import { jsonLines, renderTable } from './table.js';

export interface ImageRow {
  container: string;
  repository: string;
  tag: string;
  id: string;
  size?: number;
}

/** `redis:7`, `reg:5000/app@sha256:…`, `busybox` → repository and tag as docker splits them. */
export function splitReference(ref: string): { repository: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { repository: ref.slice(0, at), tag: '<none>' };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref, tag: 'latest' };
}

export function shortImageId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

export function formatImages(rows: readonly ImageRow[], format: 'table' | 'json', quiet: boolean): string {
  if (quiet) return [...new Set(rows.map((r) => shortImageId(r.id)))].map((id) => `${id}\n`).join('');
  if (format === 'json') {
    return jsonLines(
      rows.map((r) => ({
        ContainerName: r.container,
        Repository: r.repository,
        Tag: r.tag,
        ID: r.id,
        Size: r.size ?? 0,
      })),
    );
  }
  return renderTable(
    ['CONTAINER', 'REPOSITORY', 'TAG', 'IMAGE ID', 'SIZE'],
    rows.map((r) => [
      r.container,
      r.repository,
      r.tag,
      shortImageId(r.id),
      r.size === undefined ? '' : bytes(r.size),
    ]),
  );
}
