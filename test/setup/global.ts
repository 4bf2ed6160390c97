// Runs once before the whole suite: builds dist/ so e2e tests drive the real `cmp` binary.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
