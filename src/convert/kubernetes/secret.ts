import type { ConvertContext } from './context.js';
import type { FileSource } from './files.js';
import { objectLabels } from './names.js';
import type { K8sObject } from './types.js';

/** The value is base64 in `data`, so binary secrets survive and nothing is printed in clear. */
export function secret(ctx: ConvertContext, src: FileSource & { content: Buffer }): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: src.objectName, labels: objectLabels(ctx.project.name) },
    type: 'Opaque',
    data: { [src.key]: src.content.toString('base64') },
  };
}
