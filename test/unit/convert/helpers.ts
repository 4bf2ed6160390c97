// Loading compose text into a Project, converting it, and checking objects against the Kubernetes
// schema (kubernetes-models validates each kind with the API's own OpenAPI definitions).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { loadProject } from '../../../src/loader/index.js';
import type { Project } from '../../../src/model/types.js';
import {
  convertToKubernetes,
  type ConvertOptions,
  type ConvertResult,
  type K8sObject,
} from '../../../src/convert/kubernetes/index.js';

export async function loadFile(file: string, env: Record<string, string> = {}): Promise<Project> {
  return loadProject({
    cwd: join(file, '..'),
    files: [file],
    envFiles: [],
    profiles: [],
    interpolate: true,
    env,
  });
}

export async function loadYaml(yaml: string, files: Record<string, string> = {}): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-convert-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  writeFileSync(join(dir, 'compose.yaml'), yaml);
  return loadFile(join(dir, 'compose.yaml'));
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

export function convert(project: Project, options: Partial<ConvertOptions> = {}): ConvertResult {
  return convertToKubernetes(project, {
    expose: 'clusterip',
    env: {},
    readFile: readOrUndefined,
    ...options,
  });
}

const MODELS = {
  ConfigMap,
  Secret,
  PersistentVolumeClaim,
  Service,
  Deployment,
  StatefulSet,
  Job,
} as const;

/** Throws with the schema's message when the object is not a valid object of its kind. */
export function validate(o: K8sObject): void {
  const Model = MODELS[o.kind];
  // The model classes take their own typed input; the object was built to that shape.
  new Model(o as never).validate();
}

export function find(result: ConvertResult, kind: string, name: string): K8sObject {
  const o = result.objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o)
    throw new Error(
      `no ${kind} ${name} in ${result.objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`,
    );
  return o;
}
