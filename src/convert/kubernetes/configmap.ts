import type { ConvertContext } from './context.js';
import type { FileSource } from './files.js';
import { objectLabels } from './names.js';
import type { K8sObject } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(b: Buffer): string | undefined {
  try {
    return utf8.decode(b);
  } catch {
    return undefined;
  }
}

/** Text goes in `data` (readable in the manifest); anything else in `binaryData`. */
export function configMap(ctx: ConvertContext, src: FileSource & { content: Buffer }): K8sObject {
  const t = text(src.content);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: src.objectName, labels: objectLabels(ctx.project.name) },
    ...(t !== undefined
      ? { data: { [src.key]: t } }
      : { binaryData: { [src.key]: src.content.toString('base64') } }),
  };
}
