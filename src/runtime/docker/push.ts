// Pushing an image through the engine (`cmp push` on the docker runtime): the engine uploads it with its
// own credentials; its progress stream is turned into docker's lines.
import type Dockerode from 'dockerode';
import { RuntimeError } from '../../util/errors.js';
import { call } from './errors.js';
import { jsonLines, messageError } from './json-lines.js';

export async function pushWithEngine(
  docker: Dockerode,
  ref: string,
  say: (line: string) => void,
): Promise<void> {
  const stream = (await call(`push ${ref}`, () =>
    // An empty credential header: newer engines refuse a push without one, even to an open registry.
    docker.getImage(ref).push({ authconfig: {} }),
  )) as NodeJS.ReadableStream;
  for await (const m of jsonLines(stream)) {
    const err = messageError(m);
    if (err) throw new RuntimeError(`docker: push ${ref}: ${err}`);
    // Per-byte progress lines are left out, as in docker's output without a terminal.
    if (m.status && !m.progressDetail?.current) say(m.id ? `${m.id}: ${m.status}` : m.status);
  }
}
