import type { SourceFile } from '../source';
import type { DockerModel } from './types';

export interface DockerModelOptions {
  target?: string;
}

/** Parses every Dockerfile of the system and resolves the target stage. */
export function buildDockerModel(files: SourceFile[], options: DockerModelOptions = {}): DockerModel {
  void files;
  void options;
  return { dockerfiles: [], main: null, problems: [] };
}
