// Pull, build, import and events answer with a stream of JSON objects, one a line; an object with `error` is a failure
// the HTTP status cannot carry because it was already sent.

export interface ProgressMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  stream?: string;
  aux?: { ID?: string };
  error?: string;
  errorDetail?: { message?: string };
}

export async function* jsonLines<T = ProgressMessage>(stream: NodeJS.ReadableStream): AsyncIterable<T> {
  let buf = '';
  for await (const chunk of stream) {
    buf += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
  if (buf.trim()) yield JSON.parse(buf.trim()) as T;
}

export function messageError(m: ProgressMessage): string | undefined {
  return m.error ?? m.errorDetail?.message;
}
