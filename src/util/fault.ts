// Named steps where a test can make this process die as abruptly as a power cut or `kill -9` would
// (CMP_FAULT_AT=<step>), so the fault suite hits each moment of a create deterministically instead of
// guessing at timings. Unset in normal use; the check is one environment lookup.
export function faultPoint(step: string): void {
  if (process.env.CMP_FAULT_AT === step) process.kill(process.pid, 'SIGKILL');
}
