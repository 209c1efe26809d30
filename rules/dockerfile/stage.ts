import { instructionDetails, rootStage } from '../../src/model/docker';
import { parseShellCommands, programName, skipWrappers, traceLaunch, type ShellCommand, type ShellWord } from '../../src/model/shell';
import type { DockerInstructionInfo, DockerStage, EffectiveStage, SystemModel } from '../../src/model/types';
import { mappedFromFile, parseCommandArguments, type MappedText } from '../../src/parsers/dockerfile';
import type { Location, SourceFile } from '../../src/source';
import { imageFacts, parseImageReference, type ImageFacts, type ImageReference } from './base-image';

/** Returns the target stage of the Dockerfile that builds the service; runtime rules judge only this stage and its parents. */
export function runtimeTarget(model: SystemModel): EffectiveStage | null {
  return model.docker.main?.target ?? null;
}

/** Names a stage for messages: its `AS` name, or its FROM line when it has none. */
export function stageLabel(stage: DockerStage): string {
  return stage.name ?? `FROM ${stage.image}`;
}

/** Returns the image the stage is built on, through the stages it is built FROM; null when an ARG leaves it unknown. */
export function baseImage(stage: DockerStage): { reference: ImageReference; facts: ImageFacts | null; stage: DockerStage } | null {
  const root = rootStage(stage);
  const reference = root.resolvedImage ? parseImageReference(root.resolvedImage) : null;
  if (!reference) return null;
  return { reference, facts: imageFacts(reference), stage: root };
}

/** Returns the image word of the stage's FROM line, after any `--platform` flag, or the whole line when it cannot be found. */
export function imageLocation(stage: DockerStage): Location {
  const { file, start, end } = stage.fromLocation;
  const index = file.text.slice(start, end).indexOf(stage.image, 'FROM'.length);
  if (!stage.image || index === -1) return stage.fromLocation;
  return { file, start: start + index, end: start + index + stage.image.length };
}

/** Returns the user part of `user[:group]`. */
export function userName(user: string): string {
  const colon = user.indexOf(':');
  return colon === -1 ? user : user.slice(0, colon);
}

/** True for `root`, `0`, `root:<group>` and `0:<group>`. */
export function isRootUser(user: string): boolean {
  const name = userName(user).trim();
  return name === 'root' || /^0+$/.test(name);
}

/** The shell commands of one RUN instruction, with the text they were read from. */
export interface RunScript {
  instruction: DockerInstructionInfo;
  text: MappedText;
  commands: ShellCommand[];
}

/**
 * Reads the shell commands of the RUN instructions given: the shell-form text, the words of an
 * exec-form RUN, and heredoc bodies that are the script (`RUN <<EOF`, `RUN bash <<EOF`).
 * The body of `RUN cat <<EOF > file` is file content and is skipped.
 */
export function runScripts(instructions: readonly DockerInstructionInfo[]): RunScript[] {
  const scripts: RunScript[] = [];

  for (const instruction of instructions) {
    const details = instruction.keyword === 'RUN' ? instructionDetails(instruction) : undefined;
    if (!details) continue;

    const parsed = parseCommandArguments(details.rest.text);
    const text = parsed.form === 'exec' ? execFormText(details.rest, parsed.argv) : details.rest;
    scripts.push({ instruction, text, commands: parseShellCommands(text.text) });

    if (!/^(?:(?:\/bin\/|\/usr\/bin\/)?(?:ba|da)?sh\s+)?<<-?\s*["']?\w+/.test(details.rest.text)) continue;
    for (const heredoc of instruction.heredocs) {
      const body = mappedFromFile(heredoc.location.file, heredoc.location.start, heredoc.location.end);
      scripts.push({ instruction, text: body, commands: parseShellCommands(body.text) });
    }
  }
  return scripts;
}

/** Exec-form words joined by spaces, every character pointing at the instruction's arguments. */
function execFormText(rest: MappedText, argv: string[]): MappedText {
  const text = argv.join(' ');
  const offsets = Array.from({ length: text.length + 1 }, (_, index) => (index < text.length ? rest.offsets[0] : rest.offsets[rest.offsets.length - 1]));
  return { file: rest.file, text, offsets };
}

/** Returns the words of a command after `exec` and wrappers, and the program name. */
export function programWords(command: ShellCommand): { program: string; words: ShellWord[] } {
  const words = command.words.slice(skipWrappers(command.words.map((word) => word.value)).index);
  return { program: words.length ? programName(words[0].value) : '', words };
}

/**
 * Returns the index of `install` in a `pip install`, `pip3 install`, `python -m pip install`
 * (or, with `includeUv`, `uv pip install`) command, or -1 for any other command.
 */
export function pipInstallIndex(command: ShellCommand, includeUv = false): number {
  const { program, words } = programWords(command);
  const values = words.map((word) => word.value);
  let index = -1;

  if (/^pip(\d+(\.\d+)?)?$/.test(program)) index = 1;
  else if (/^python(\d+(\.\d+)?)?$/.test(program) && values[1] === '-m' && values[2] === 'pip') index = 3;
  else if (includeUv && program === 'uv' && values[1] === 'pip') index = 2;
  if (index === -1) return -1;

  while (index < values.length && values[index].startsWith('-')) index++;
  return values[index] === 'install' ? command.words.length - words.length + index : -1;
}

/** True when the program the target finally runs is Python started with the one-letter option, such as `-u`. */
export function pythonRunsWith(target: EffectiveStage, files: readonly SourceFile[], letter: string): boolean {
  const words = traceLaunch(target, files)?.words.map((word) => word.value) ?? [];
  if (words.length === 0 || !/^python(\d+(\.\d+)?)?$/.test(programName(words[0]))) return false;

  for (const word of words.slice(1)) {
    if (!/^-[A-Za-z]+$/.test(word)) break;
    if (word.slice(1).includes(letter)) return true;
    if (word === '-m' || word === '-c') break;
  }
  return false;
}
