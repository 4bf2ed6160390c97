// `develop.watch` sync over the Engine API: changed files go in as one tar through the archive endpoint
// (which keeps modes and owners, and makes missing parent folders); deletions have no endpoint, so they
// run as `rm -rf` inside the container, as docker compose does.
import type Dockerode from 'dockerode';
import { lstat, readFile, readlink } from 'node:fs/promises';
import { PassThrough, Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { RuntimeError } from '../../util/errors.js';
import { call } from './errors.js';
import { runExec } from './exec.js';

export interface CopyItem {
  hostPath: string;
  containerPath: string;
}

function addEntry(
  pack: tar.Pack,
  header: Partial<tar.Header> & { name: string },
  body?: Buffer,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null): void => (err ? reject(err) : resolve());
    if (body) pack.entry(header, body, done);
    else pack.entry(header, done);
  });
}

/** A tar rooted at `/` of the files that still exist (one deleted since its event is left out). */
export async function syncTar(files: readonly CopyItem[]): Promise<Buffer | undefined> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of Readable.from(pack)) chunks.push(Buffer.from(chunk as Uint8Array));
  })();
  let count = 0;
  for (const f of files) {
    const st = await lstat(f.hostPath).catch(() => undefined);
    if (!st) continue;
    const base = {
      name: f.containerPath.replace(/^\/+/, ''),
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      mtime: st.mtime,
    };
    if (st.isDirectory()) await addEntry(pack, { ...base, type: 'directory' });
    else if (st.isSymbolicLink())
      await addEntry(pack, { ...base, type: 'symlink', linkname: await readlink(f.hostPath) });
    else if (st.isFile()) await addEntry(pack, { ...base, type: 'file' }, await readFile(f.hostPath));
    else continue;
    count += 1;
  }
  pack.finalize();
  await collected;
  return count > 0 ? Buffer.concat(chunks) : undefined;
}

export async function copyToContainer(
  container: Dockerode.Container,
  files: readonly CopyItem[],
  deletions: readonly string[],
): Promise<void> {
  if (deletions.length > 0) {
    const sink = new PassThrough();
    sink.resume();
    let stderr = '';
    const errors = new PassThrough();
    errors.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await runExec(
      container,
      { command: ['rm', '-rf', '--', ...deletions], tty: false, interactive: false },
      { stdout: sink, stderr: errors },
    );
    if (code !== 0) {
      throw new RuntimeError(`deleting ${deletions.join(' ')} in ${container.id.slice(0, 12)} failed`, {
        hint: stderr.trim().split('\n').pop() || `rm exited with ${code}`,
      });
    }
  }
  const archive = await syncTar(files);
  if (archive) {
    await call(`copy files into ${container.id.slice(0, 12)}`, () =>
      container.putArchive(archive, { path: '/' }),
    );
  }
}
