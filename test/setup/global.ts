// Runs once before the whole suite: builds dist/ (and the prebuilt schema validator) so e2e tests
// drive the real `cmp` binary.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
