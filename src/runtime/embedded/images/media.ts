// Media types cmp understands (OCI image spec and Docker's v2 schema 2).

export const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerForeignGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/**
 * Every manifest type we handle. distribution 2.8 falls back to schema 1 when the Accept header
 * does not list the type an image was pushed with, so all four go out on every manifest request.
 */
export const MANIFEST_ACCEPT = [MT.ociIndex, MT.dockerList, MT.ociManifest, MT.dockerManifest].join(', ');

export type Compression = 'gzip' | 'zstd' | 'none';

/** Compression from a layer media type; undefined for types that are not layers we can unpack. */
export function layerCompression(mediaType: string): Compression | undefined {
  switch (mediaType) {
    case MT.ociLayerGzip:
    case MT.ociLayerNondistGzip:
    case MT.dockerLayerGzip:
    case MT.dockerLayerForeignGzip:
      return 'gzip';
    case MT.ociLayerZstd:
      return 'zstd';
    case MT.ociLayer:
    case 'application/vnd.oci.image.layer.nondistributable.v1.tar':
      return 'none';
    default:
      return undefined;
  }
}

export function isIndex(mediaType: string | undefined): boolean {
  return mediaType === MT.ociIndex || mediaType === MT.dockerList;
}

export function isManifest(mediaType: string | undefined): boolean {
  return mediaType === MT.ociManifest || mediaType === MT.dockerManifest;
}

/** Sniffs compression from the first bytes, for tars whose layers carry no media type (docker save). */
export function sniffCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}
