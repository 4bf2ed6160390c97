// `cmp image inspect`: docker's image inspect object, built from the store's record and the image's
// own config blob (whose `config` section already uses docker's key names).
import type { ImageRecord } from '../../runtime/embedded/images/layout.js';
import { familiarName, parseReference } from '../../runtime/image-reference.js';

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  Author: string;
  Config: Record<string, unknown>;
  Architecture: string;
  Os: string;
  Size: number;
  RootFS: { Type: 'layers'; Layers: string[] };
}

export function imageInspect(
  record: ImageRecord,
  refs: string[],
  rawConfig: string | undefined,
): ImageInspect {
  let doc: Record<string, unknown> = {};
  try {
    doc = rawConfig ? (JSON.parse(rawConfig) as Record<string, unknown>) : {};
  } catch {
    // a damaged config blob still leaves the record's view
  }
  const tags: string[] = [];
  const digests = new Set<string>();
  for (const r of refs) {
    const p = parseReference(r);
    if (p.digest) digests.add(familiarName(r));
    else if (p.tag) tags.push(familiarName(r));
  }
  if (record.repoDigest) {
    for (const r of refs) {
      const p = parseReference(r);
      const repo = familiarName(`${p.registry}/${p.repository}`);
      digests.add(`${repo}@${record.repoDigest}`);
    }
  }
  for (const [repo, digest] of Object.entries(record.pushed ?? {})) digests.add(`${repo}@${digest}`);
  return {
    Id: record.id,
    RepoTags: tags,
    RepoDigests: [...digests].sort(),
    Parent: '',
    Comment: typeof doc.comment === 'string' ? doc.comment : '',
    Created: record.created ?? (typeof doc.created === 'string' ? doc.created : ''),
    Author: typeof doc.author === 'string' ? doc.author : '',
    Config: (doc.config as Record<string, unknown> | undefined) ?? {},
    Architecture: record.architecture ?? '',
    Os: record.os ?? '',
    Size: record.size,
    RootFS: { Type: 'layers', Layers: record.layers },
  };
}
