// How the global options (-f, -p, --profile, --env-file, --project-directory) become the loader's options.
// Kept apart from the loader, which knows nothing of the command line, and light, so a command imports it
// without pulling the loader in before it needs it.
import type { LoadOptions } from '../loader/index.js';
import { readAllStdin } from '../loader/read-file.js';
import { terminalLine } from '../util/terminal-text.js';
import type { GlobalOptions } from './globals.js';

export function loadOptionsFromGlobals(
  globals: GlobalOptions,
  cwd: string,
  services?: string[],
): LoadOptions {
  return {
    cwd,
    files: globals.file,
    projectName: globals.projectName,
    projectDirectory: globals.projectDirectory,
    envFiles: globals.envFile,
    profiles: globals.profile,
    interpolate: true,
    env: process.env,
    services,
    readStdin: readAllStdin,
    onWarning: (m) => process.stderr.write(`WARN[0000] ${terminalLine(m)}\n`),
  };
}
