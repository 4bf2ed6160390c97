// Options every command accepts (before the command name), as docker compose has them.

export interface GlobalOptions {
  file: string[];
  projectName?: string;
  profile: string[];
  envFile: string[];
  projectDirectory?: string;
  runtime?: string;
  progress?: string;
  verbose: boolean;
  dryRun: boolean;
  /** `--all-resources`: up creates every declared network and volume, used or not. */
  allResources?: boolean;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
