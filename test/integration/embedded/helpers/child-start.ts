// Run in a separate node process by the adoption test: starts one container and then idles until killed.
import { EmbeddedRuntime } from '../../../../src/runtime/embedded/runtime.js';
import type { ContainerCreateRequest } from '../../../../src/runtime/types.js';
import { NetNone } from '../../../fakes/net-none.js';
import { busyboxSource } from './busybox-image.js';

const [layerDir = '', reqJson = ''] = process.argv.slice(2);
const rt = new EmbeddedRuntime(busyboxSource(layerDir), new NetNone());
const req = JSON.parse(reqJson) as ContainerCreateRequest;
const st = await rt.createContainer(req);
await rt.startContainer(st.id);
process.stdout.write(`${st.id}\n`);
setInterval(() => undefined, 60_000);
