// The engine multiplexes stdout and stderr on one connection when the container has no TTY: each frame is an
// 8-byte header (stream id, 3 zero bytes, big-endian length) and its payload. With a TTY the bytes are raw.

export type StreamName = 'stdout' | 'stderr';

export interface Frame {
  stream: StreamName;
  data: Buffer;
}

/** Incremental demultiplexer: feed it chunks as they arrive, it returns the whole frames so far. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const kind = this.pending[0];
      const data = this.pending.subarray(8, 8 + size);
      // Stream 0 is stdin (never sent); treat anything but stderr as stdout.
      frames.push({ stream: kind === 2 ? 'stderr' : 'stdout', data });
      this.pending = this.pending.subarray(8 + size);
    }
    return frames;
  }
}

/** Splits a byte stream into lines per stream, keeping partial lines until their newline (or the end). */
export class LineSplitter {
  private partial: Record<StreamName, string> = { stdout: '', stderr: '' };

  push(stream: StreamName, data: Buffer): string[] {
    const text = this.partial[stream] + data.toString('utf8');
    const parts = text.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  flush(stream: StreamName): string[] {
    const rest = this.partial[stream];
    this.partial[stream] = '';
    return rest === '' ? [] : [rest];
  }
}
