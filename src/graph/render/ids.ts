// Stable identifiers for formats whose syntax restricts names (mermaid, DOT clusters, SVG ids): readable
// when the name allows it, made unique by a counter when two names clean up to the same id.

export class IdMaker {
  private readonly used = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(private readonly prefix: string) {}

  id(name: string): string {
    const known = this.used.get(name);
    if (known) return known;
    const base = `${this.prefix}${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let candidate = base;
    for (let i = 2; this.taken.has(candidate); i++) candidate = `${base}_${i}`;
    this.used.set(name, candidate);
    this.taken.add(candidate);
    return candidate;
  }
}
