// Conversions between ajv's JSON pointers, tree paths (what Locate takes) and the dotted form users read.

export type TreePath = (string | number)[];

function unescapeSegment(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** An instance pointer as a tree path; list indexes become numbers by looking at the tree itself. */
export function pointerToTreePath(pointer: string, tree: unknown): TreePath {
  if (pointer === '') return [];
  const out: TreePath = [];
  let node: unknown = tree;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = unescapeSegment(raw);
    if (Array.isArray(node) && /^\d+$/.test(seg)) {
      const index = Number(seg);
      out.push(index);
      node = node[index];
    } else {
      out.push(seg);
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

/** `services.web.ports[0].target`; the root reads as "the top level". */
export function formatTreePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the top level';
  let out = '';
  for (const seg of path) {
    out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  }
  return out;
}
