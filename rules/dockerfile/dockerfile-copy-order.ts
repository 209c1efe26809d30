import * as posix from 'node:path/posix';
import { insertLinesAfter } from '../../src/fix/dockerfile-edits';
import { instructionDetails, resolvePath, stageChain } from '../../src/model/docker';
import type { ShellCommand } from '../../src/model/shell';
import type { DockerInstructionInfo, DockerStage } from '../../src/model/types';
import { mappedLocation, parseCommandArguments, splitDockerWords } from '../../src/parsers/dockerfile';
import { defineRule, type Fix } from '../../src/rule';
import { positionAt, type SourceFile } from '../../src/source';
import { pipInstallIndex, programWords, runScripts } from './stage';

/** Instructions that may sit between the COPY and the install without depending on the copied source. */
const INDEPENDENT_KEYWORDS = new Set(['ENV', 'ARG', 'LABEL', 'EXPOSE']);

/** Programs besides pip that a moved install RUN may run, because they never read the build context. */
const CONTEXT_FREE_PROGRAMS = new Set(['apt-get', 'apt', 'apk', 'echo', 'true']);

/** pip options that take the next word as their value. */
const PIP_VALUE_OPTIONS = new Set([
  '-i', '--index-url', '--extra-index-url', '--trusted-host', '--timeout', '--retries', '--progress-bar', '--platform',
  '--python-version', '--implementation', '--abi', '-t', '--target', '--prefix', '--root', '--upgrade-strategy',
  '--log', '--cache-dir', '--proxy', '--cert', '--client-cert', '--python', '-p',
]);

/** A requirement line that refers to another file or a local path, which the moved COPY would also have to bring. */
const LOCAL_REFERENCE = /^\s*(-r|-c|-e|--requirement|--constraint|--editable|-f|--find-links|\.|\/|file:)/m;

export default defineRule({
  meta: {
    id: 'dockerfile-copy-order',
    area: 'dockerfile',
    description: 'The whole source is copied before `pip install -r`, so code changes invalidate the dependency layer',
    severity: 'info',
    fixable: 'unsafe',
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
      fixSafety:
        'Unsafe: the fix turns `COPY . <dest>` into a COPY of the requirements files that `pip install -r` reads (to the same folder, with the same flags) and adds the original `COPY . <dest>` right after the install. The install no longer sees the rest of the source, so a build step that needed it fails. It is offered only when the COPY and the install are in the same stage with only ENV, ARG, LABEL or EXPOSE between them, the RUN runs nothing but pip installs of requirements files and named packages (and package managers), and the requirements files include no other file or local path.',
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
        const fix = reorderFix(stage, copy, install, instructions, model.files);
        context.report({ messageId: 'early', data: { copy: `${copy.keyword} ${copy.text}`, line }, location: copy.location, fix });
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

/**
 * Copies only the requirements files where the whole-context COPY was, and copies the whole
 * context again right after the install. Undefined when the move could change what the build sees.
 */
function reorderFix(
  stage: DockerStage,
  copy: DockerInstructionInfo,
  install: DockerInstructionInfo,
  chain: readonly DockerInstructionInfo[],
  files: readonly SourceFile[],
): Fix | undefined {
  const copyIndex = stage.instructions.indexOf(copy);
  const installIndex = stage.instructions.indexOf(install);
  const copyDetails = instructionDetails(copy);
  const installDetails = instructionDetails(install);
  const file = copy.location.file;
  if (copyIndex === -1 || installIndex === -1 || !copyDetails || !installDetails) return undefined;
  if (chain.slice(0, chain.indexOf(install)).filter(copiesWholeContext).length !== 1) return undefined;
  if (!stage.instructions.slice(copyIndex + 1, installIndex).every((instruction) => INDEPENDENT_KEYWORDS.has(instruction.keyword))) return undefined;

  const words = splitDockerWords(copyDetails.rest.text, copyDetails.escapeChar).map((word) => word.raw);
  const original = file.text.slice(copy.location.start, copy.location.end);
  if (copy.keyword !== 'COPY' || words.length !== 2 || !/^\.\/?$/.test(words[0]) || /[$\r\n]/.test(original) || words[1].includes('$')) return undefined;

  const requirementPaths = installedRequirements(install);
  if (!requirementPaths) return undefined;

  const destination = resolvePath(copyDetails.workdir ?? '/', words[1]);
  const context = posix.dirname(file.relPath);
  const sources: string[] = [];
  for (const written of requirementPaths) {
    const expanded = installDetails.expand(written).value;
    const relative = expanded === null ? '..' : posix.relative(destination, resolvePath(installDetails.workdir ?? '/', expanded));
    const requirements = files.find((candidate) => candidate.relPath === posix.normalize(posix.join(context, relative)));
    if (relative.startsWith('..') || posix.isAbsolute(relative) || !requirements || LOCAL_REFERENCE.test(requirements.text)) return undefined;
    sources.push(relative);
  }

  const folders = new Set(sources.map((source) => posix.dirname(source)));
  if (sources.length === 0 || folders.size !== 1) return undefined;

  const subfolder = [...folders][0];
  const base = words[1] === '.' || words[1] === './' ? '.' : words[1].replace(/\/+$/, '');
  const target = `${subfolder === '.' ? base : posix.join(base, subfolder)}/`;
  const rest = mappedLocation(copyDetails.rest);
  return {
    title: `Copy \`${sources.join(' ')}\` before the install and the rest after it`,
    safety: 'unsafe',
    edits: [
      { file: file.relPath, start: rest.start, end: rest.end, text: `${[...new Set(sources)].join(' ')} ${target}` },
      insertLinesAfter(file, install.location.end, [original]),
    ],
  };
}

/**
 * Returns the requirements and constraints files that a RUN's pip installs read, or null when the
 * RUN runs anything else that may read the build context: an editable or local install, a path,
 * or another program.
 */
function installedRequirements(install: DockerInstructionInfo): string[] | null {
  const paths: string[] = [];

  for (const command of runScripts([install]).flatMap((script) => script.commands)) {
    const index = pipInstallIndex(command, true);
    if (index === -1) {
      if (!isContextFree(command)) return null;
      continue;
    }

    const found = pipArguments(command.words.slice(index + 1).map((word) => word.value));
    if (!found) return null;
    paths.push(...found);
  }
  return paths;
}

/** Reads `-r file` and `-c file` from pip install arguments; null for an editable install or an operand that is a path. */
function pipArguments(args: string[]): string[] | null {
  const paths: string[] = [];

  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const file = /^(?:-r|-c|--requirement|--constraint)$/.test(arg) ? args[++index] : /^(?:-r|-c)(.+)$|^--(?:requirement|constraint)=(.+)$/.exec(arg)?.slice(1).find(Boolean);

    if (file !== undefined) paths.push(file);
    else if (/^(-e|--editable|-f|--find-links)(=|$)/.test(arg)) return null;
    else if (PIP_VALUE_OPTIONS.has(arg)) index++;
    else if (!arg.startsWith('-') && (/[/*]|^\.|\.(whl|zip|tar\.gz)$/.test(arg) || arg === '')) return null;
  }
  return paths;
}

/** True for package managers and for `rm` or `mkdir` of absolute paths, which never read the build context. */
function isContextFree(command: ShellCommand): boolean {
  const { program, words } = programWords(command);
  if (CONTEXT_FREE_PROGRAMS.has(program)) return true;
  return (program === 'rm' || program === 'mkdir') && words.slice(1).every((word) => word.value.startsWith('-') || word.value.startsWith('/'));
}
