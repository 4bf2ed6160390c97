// Work that nobody awaits (timers, signal handlers, socket requests) in the long-lived processes: its
// failure is logged with what it was, never left as an unhandled rejection that ends the process.
export function inBackground(what: string, work: () => Promise<void>, log: (line: string) => void): void {
  work().catch((e: unknown) => log(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
}
