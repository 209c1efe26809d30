import { instructionDetails, stageChain } from '../../src/model/docker';
import type { DockerInstructionInfo } from '../../src/model/types';
import { parseCommandArguments, splitDockerWords } from '../../src/parsers/dockerfile';
import { defineRule } from '../../src/rule';
import { positionAt } from '../../src/source';
import { pipInstallIndex, runScripts } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-copy-order',
    area: 'dockerfile',
    description: 'The whole source is copied before `pip install -r`, so code changes invalidate the dependency layer',
    severity: 'info',
    fixable: 'none',
    messages: {
      early:
        '`{{copy}}` copies the whole source before `pip install -r` on line {{line}}, so every code change reinstalls all dependencies.',
    },
    docs: {
      whatItDoes:
        'In every stage of every Dockerfile, reports a `COPY` or `ADD` of the whole build context (`.`, `./`, `*`) that comes before a RUN installing requirements with `pip install -r` (or `python -m pip`, `uv pip`) in the same stage or a stage built FROM it.',
      whyItMatters:
        'Docker reuses a cached layer only while every earlier layer is unchanged. With the source copied first, editing any file invalidates the `pip install` layer, and each build downloads and installs every package again.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile:
            'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead: 'Copy only the requirements files, install them, then copy the rest of the source.',
    },
  },
  check(model, context) {
    for (const dockerfile of model.docker.dockerfiles) {
      const reported = new Set<DockerInstructionInfo>();

      for (const stage of dockerfile.stages) {
        const instructions = stageChain(stage).flatMap((link) => link.instructions);
        const install = firstRequirementsInstall(instructions);
        const copy = install ? instructions.slice(0, instructions.indexOf(install)).find(copiesWholeContext) : undefined;
        if (!install || !copy || reported.has(copy)) continue;

        reported.add(copy);
        const line = positionAt(install.location.file, install.location.start).line;
        context.report({ messageId: 'early', data: { copy: `${copy.keyword} ${copy.text}`, line }, location: copy.location });
      }
    }
  },
});

function firstRequirementsInstall(instructions: readonly DockerInstructionInfo[]): DockerInstructionInfo | undefined {
  const script = runScripts(instructions).find(({ commands }) =>
    commands.some((command) => {
      const index = pipInstallIndex(command, true);
      return index !== -1 && command.words.slice(index + 1).some((word) => /^(-r|--requirement)(=|$)|^-r./.test(word.value));
    }),
  );
  return script?.instruction;
}

/** `COPY . .`, `COPY ./ /app/`, `ADD * ./`: the whole build context, not from another stage. */
function copiesWholeContext(instruction: DockerInstructionInfo): boolean {
  const details = instructionDetails(instruction);
  if (!details || (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD')) return false;
  if (details.flags.some((flag) => flag.name === 'from')) return false;

  const parsed = parseCommandArguments(details.rest.text);
  const words = parsed.form === 'exec' ? parsed.argv : splitDockerWords(details.rest.text, details.escapeChar).map((word) => word.raw);
  return words.slice(0, -1).some((source) => /^(\.\/?|\.\/\.|\*|\.\/\*)$/.test(source));
}
