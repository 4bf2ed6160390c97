// `cmp image save`: a docker-save archive (manifest.json, one config per image, `<diff>/layer.tar`,
// `repositories`), which `cmp image load` and `docker load` both read.
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../../util/exec.js';
import { digestHex } from './digest.js';
import { exportImage } from './export.js';
import type { ImageRecord, StoreLayout } from './layout.js';
import { familiarName, parseReference } from '../../image-reference.js';

export interface SaveItem {
  record: ImageRecord;
  /** Canonical tag references to record in the archive (digest references cannot be tags). */
  refs: string[];
}

export async function saveArchive(
  layout: StoreLayout,
  items: SaveItem[],
  outFile: string,
  signal?: AbortSignal,
): Promise<void> {
  const work = await layout.tmpDir('save');
  try {
    const tree = join(work, 'tree');
    await mkdir(tree);
    const manifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
    const repositories: Record<string, Record<string, string>> = {};
    const names = new Set<string>();
    for (const item of items) {
      const exported = await exportImage(layout, item.record, work, signal);
      const configName = `${digestHex(exported.configDigest)}.json`;
      await writeFile(join(tree, configName), exported.config);
      names.add(configName);
      const layerNames: string[] = [];
      for (const l of exported.layers) {
        const dir = digestHex(l.diffId);
        await mkdir(join(tree, dir), { recursive: true });
        await copyFile(l.path, join(tree, dir, 'layer.tar'));
        await rm(l.path, { force: true });
        layerNames.push(`${dir}/layer.tar`);
        names.add(dir);
      }
      const tags = item.refs.filter((r) => parseReference(r).tag).map((r) => familiarName(r));
      manifest.push({ Config: configName, RepoTags: tags, Layers: layerNames });
      const top = layerNames.at(-1)?.split('/')[0];
      for (const t of tags) {
        const cut = t.lastIndexOf(':');
        if (top) (repositories[t.slice(0, cut)] ??= {})[t.slice(cut + 1)] = top;
      }
    }
    await writeFile(join(tree, 'manifest.json'), JSON.stringify(manifest));
    await writeFile(join(tree, 'repositories'), JSON.stringify(repositories));
    await run(
      'tar',
      [
        '-c',
        '-f',
        outFile,
        '-C',
        tree,
        '--numeric-owner',
        '--owner=0',
        '--group=0',
        'manifest.json',
        'repositories',
        ...[...names].sort(),
      ],
      signal ? { cancelSignal: signal } : {},
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
