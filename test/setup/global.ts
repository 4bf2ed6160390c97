// Runs once around the whole suite: builds dist/ (and the prebuilt schema validator) so e2e tests drive
// the real `cmp` binary; afterwards stops a dockerd that the docker tests started (never a host's own).
import { execFileSync } from 'node:child_process';
import { teardownDockerd } from './dockerd.js';

export default function setup(): () => Promise<void> {
  process.env.CMP_TEST_RUN ??= String(process.pid);
  // CMP_TEST_NO_BUILD=1 reuses a dist/ built a moment ago (handy while iterating; CI never sets it).
  if (process.env.CMP_TEST_NO_BUILD !== '1')
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  return () => teardownDockerd();
}
