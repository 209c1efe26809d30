import type { SystemInput } from '../system';
import { buildDockerModel } from './docker';
import { buildGunicornModel } from './gunicorn';
import { buildPythonModel } from './python';
import { buildRequirementsModel } from './requirements';
import type { SystemModel } from './types';
import { buildYamlModel } from './yaml';

export interface ModelOptions {
  /** The Dockerfile stage whose image runs, by name; the last stage when unset. */
  dockerTarget?: string;
}

/** Parses every file of the system once and builds the model the rules read. */
export function buildModel(input: SystemInput, options: ModelOptions = {}): SystemModel {
  const python = buildPythonModel(input.files);
  const yaml = buildYamlModel(input.files);
  // A compose service's `build.target` chooses the stage whose image runs, unless the options name one.
  const docker = buildDockerModel(input.files, { target: options.dockerTarget, yaml });
  const requirements = buildRequirementsModel(input.files, input.load);
  const gunicorn = buildGunicornModel(input, docker, python);

  return { root: input.root, files: input.files, python, docker, gunicorn, requirements, yaml };
}
