// The JSON shapes of image manifests and indexes (OCI image-spec and Docker schema 2 share them).
import { RuntimeError } from '../../../util/errors.js';
import { isIndex, isManifest } from './media.js';
import type { Descriptor } from './platform.js';

export interface ManifestJson {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

export type ParsedManifest =
  { kind: 'index'; manifests: Descriptor[] } | { kind: 'manifest'; config: Descriptor; layers: Descriptor[] };

/** Classifies by the media type the registry sent, falling back to the body (some send application/json). */
export function parseManifest(bytes: Uint8Array, headerType: string, what: string): ParsedManifest {
  let json: ManifestJson;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8')) as ManifestJson;
  } catch {
    throw new RuntimeError(`${what}: manifest is not valid JSON`);
  }
  const type = isIndex(headerType) || isManifest(headerType) ? headerType : (json.mediaType ?? '');
  if (isIndex(type) || (!type && Array.isArray(json.manifests))) {
    return { kind: 'index', manifests: json.manifests ?? [] };
  }
  if ((isManifest(type) || !type) && json.config && Array.isArray(json.layers)) {
    return { kind: 'manifest', config: json.config, layers: json.layers };
  }
  throw new RuntimeError(`${what}: unsupported manifest type "${type || 'unknown'}"`, {
    hint: 'cmp reads OCI and Docker schema 2 manifests; schema 1 images must be re-pushed',
  });
}
