// Debounces file events into batches: a batch is handed over once no new event came for the quiet
// period, so a save that touches ten files (or an editor's write-rename dance) is acted on once.

export type ChangeKind = 'change' | 'delete';

export interface FileChange {
  path: string;
  kind: ChangeKind;
}

export const QUIET_PERIOD_MS = 500;

export class Batcher {
  private pending = new Map<string, ChangeKind>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flush: (batch: FileChange[]) => void,
    private readonly quietMs = QUIET_PERIOD_MS,
  ) {}

  add(change: FileChange): void {
    // Only the last word on a path counts: written then deleted is a deletion, deleted then re-made a change.
    this.pending.delete(change.path);
    this.pending.set(change.path, change.kind);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.emit(), this.quietMs);
  }

  /** Drops what is pending without handing it over. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private emit(): void {
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const batch = [...this.pending].map(([path, kind]) => ({ path, kind }));
    this.pending.clear();
    this.flush(batch);
  }
}
