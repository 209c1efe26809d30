import * as path from 'node:path';
import { readListedFile, type ListedFile } from './discovery';
import type { SourceFile } from './source';

/** A system whose Dockerfile stages are looked up: its root and its listed files. */
export interface StageSystem {
  root: string;
  displayRoot: string;
  files: readonly ListedFile[];
}

/**
 * Checks that `--target-stage` (or the configuration's `target-stage`, named by `source`) names a
 * stage of the main Dockerfile of every system that has Dockerfiles. Returns a usage message
 * naming the stages found, or null when every such system has the stage. Dockerfiles are parsed
 * on the calling thread, so it runs only when a stage is named.
 */
export function findMissingTargetStage(systems: readonly StageSystem[], stage: string, source = '--target-stage'): string | null {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildDockerModel } = require('./model/docker') as typeof import('./model/docker');
  const requested = stage.toLowerCase();

  for (const system of systems) {
    const dockerfiles: SourceFile[] = [];
    for (const listed of system.files) {
      if (listed.kind !== 'dockerfile') continue;
      const read = readListedFile(system.root, listed);
      if ('text' in read) dockerfiles.push(read);
    }

    const main = buildDockerModel(dockerfiles, {}).main;
    if (!main || main.stages.length === 0) continue;
    if (main.stages.some((candidate) => candidate.name === requested)) continue;

    const names = main.stages.map((candidate) => candidate.name).filter((name): name is string => name !== null);
    const found = names.length > 0 ? `its stages are ${names.map((name) => `\`${name}\``).join(', ')}` : 'none of its stages has a name (`FROM image AS name`)';
    const file = path.posix.join(system.displayRoot, main.file.relPath);
    return `${source} \`${stage}\` is not a stage of \`${file}\`: ${found}.`;
  }
  return null;
}
