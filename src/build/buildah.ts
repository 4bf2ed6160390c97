// Debian's buildah as cmp's Dockerfile executor, with a store of its own under cmp's state root (never the
// system's /var/lib/containers), no registries configured (every image comes from cmp's store), and its
// temp files and RUN --mount=type=cache folders under that root too. Why buildah: docs/dependencies.md.
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { run, tryRun } from '../util/exec.js';
import { findExecutable } from '../util/which.js';
import { BuildError } from './errors.js';

export interface BudOptions {
  context: string;
  dockerfile: string;
  iidFile: string;
  target?: string;
  args: Record<string, string>;
  labels: Record<string, string>;
  contexts: Record<string, string>;
  network: 'host' | 'none';
  extraHosts: string[];
  shmSize?: string;
  noCache: boolean;
  secrets: { id: string; file: string }[];
  ignoreFile?: string;
  signal?: AbortSignal;
  /** Each line buildah prints, as it comes. */
  onLine?: (line: string) => void;
}

export interface BudResult {
  exitCode: number;
  /** The last lines buildah printed (stdout and stderr), for the error. */
  tail: string[];
}

const TAIL = 40;

export class Buildah {
  private readonly bin: string;

  constructor(readonly root: string) {
    const bin = findExecutable('buildah');
    if (!bin) {
      throw new BuildError('building needs buildah, which is not installed', {
        hint: 'apt-get install buildah (scripts/setup-host.sh does)',
      });
    }
    this.bin = bin;
  }

  private globals(): string[] {
    return [
      '--root',
      join(this.root, 'storage'),
      '--runroot',
      join(this.root, 'run'),
      '--storage-driver',
      process.env.CMP_BUILD_STORAGE_DRIVER ?? 'overlay',
      '--registries-conf',
      '/dev/null',
    ];
  }

  private env(): Record<string, string> {
    // buildah keeps RUN --mount=type=cache folders and its scratch files under TMPDIR.
    return { TMPDIR: join(this.root, 'tmp'), BUILDAH_ISOLATION: 'oci' };
  }

  async prepare(): Promise<void> {
    await mkdir(join(this.root, 'tmp'), { recursive: true });
  }

  async cmd(args: string[], signal?: AbortSignal): Promise<string> {
    const res = await run(this.bin, [...this.globals(), ...args], {
      env: this.env(),
      ...(signal ? { cancelSignal: signal } : {}),
    });
    return res.stdout;
  }

  /** Whether the store has an image of that name or id. */
  async hasImage(name: string): Promise<boolean> {
    const res = await tryRun(
      this.bin,
      [...this.globals(), 'inspect', '--type', 'image', '--format', '{{.FromImageID}}', name],
      {
        env: this.env(),
      },
    );
    return res.exitCode === 0;
  }

  async bud(o: BudOptions): Promise<BudResult> {
    const args = [
      ...this.globals(),
      'bud',
      '--layers',
      '--force-rm',
      '--pull=never',
      '--network',
      o.network,
      '-f',
      o.dockerfile,
      '--iidfile',
      o.iidFile,
    ];
    if (o.target) args.push('--target', o.target);
    for (const [k, v] of Object.entries(o.args)) args.push('--build-arg', `${k}=${v}`);
    for (const [k, v] of Object.entries(o.labels)) args.push('--label', `${k}=${v}`);
    for (const [k, v] of Object.entries(o.contexts)) args.push('--build-context', `${k}=${v}`);
    for (const h of o.extraHosts) args.push('--add-host', h);
    for (const s of o.secrets) args.push('--secret', `id=${s.id},src=${s.file}`);
    if (o.shmSize) args.push('--shm-size', o.shmSize);
    if (o.noCache) args.push('--no-cache');
    if (o.ignoreFile) args.push('--ignorefile', o.ignoreFile);
    args.push(o.context);
    const child = spawn(this.bin, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.env() },
      ...(o.signal ? { signal: o.signal } : {}),
    });
    const tail: string[] = [];
    const take = (line: string): void => {
      tail.push(line);
      if (tail.length > TAIL) tail.shift();
      o.onLine?.(line);
    };
    createInterface({ input: child.stdout }).on('line', take);
    createInterface({ input: child.stderr }).on('line', take);
    const exitCode = await new Promise<number>((resolve) => {
      child.on('error', () => resolve(127));
      child.on('close', (code) => resolve(code ?? 1));
    });
    await this.unmountAll();
    return { exitCode, tail };
  }

  /**
   * Takes down the mounts buildah's overlay store leaves once it has exited (its own bind mount of the
   * store, and layers it mounted to check the cache): nothing of a build stays mounted on the host.
   */
  async unmountAll(): Promise<void> {
    const store = join(this.root, 'storage');
    let info: string;
    try {
      info = await readFile('/proc/self/mountinfo', 'utf8');
    } catch {
      return;
    }
    const points = info
      .split('\n')
      .map((l) => l.split(' ')[4] ?? '')
      .map((p) => p.replace(/\\040/g, ' '))
      .filter((p) => p === store || p.startsWith(`${store}/`))
      .sort((a, b) => b.length - a.length);
    for (const p of new Set(points)) await tryRun('umount', ['-l', p]);
  }
}
