// No tag means :latest, and :latest moves: two machines (or two pulls) run different software.
import { HOST_ROOTFS_IMAGE, isHostRootfs } from '../../model/extensions.js';
import { imageTag } from '../heuristics.js';
import type { LintRule, RuleHit } from '../types.js';

export const imageUnpinned: LintRule = {
  id: 'image-unpinned',
  severity: 'info',
  why: 'an image without a tag, or tagged latest, changes whenever it is pulled again',
  fix: 'pin a version tag (postgres:16.3) or a digest',
  check({ project }) {
    const hits: RuleHit[] = [];
    for (const [name, svc] of Object.entries(project.services)) {
      // With build, image names what cmp builds, not something pulled.
      if (
        !svc.image ||
        svc.build ||
        svc.image === HOST_ROOTFS_IMAGE ||
        isHostRootfs(svc) ||
        svc.image.includes('$')
      )
        continue;
      const { tag, digest } = imageTag(svc.image);
      if (digest || (tag !== undefined && tag !== 'latest')) continue;
      hits.push({
        service: name,
        path: ['services', name, 'image'],
        message:
          tag === 'latest'
            ? `${name} uses ${svc.image}`
            : `${name} uses ${svc.image} with no tag, which means :latest`,
        fix: `pin a version: ${svc.image.replace(/:latest$/, '')}:<version>`,
      });
    }
    return hits;
  },
};
