import * as posix from 'node:path/posix';
import { instructionDetails, resolvePath } from '../model/docker';
import type { DockerInstructionInfo, DockerStage, EffectiveStage } from '../model/types';
import { parseCommandArguments, splitDockerWords } from '../parsers/dockerfile';
import type { TextEdit } from '../rule';
import type { SourceFile } from '../source';

/** The UID and name of the user that fixes create when an image has no unprivileged user. */
export const APP_UID = 10001;
export const APP_USER = 'app';

/** How a base image family creates users: Debian's `useradd`, or BusyBox `adduser` on Alpine. */
export type UserTool = 'useradd' | 'busybox-adduser';

/** Renders an exec-form argument list, such as `["gunicorn", "main:app"]`, as strict JSON on one line. */
export function renderExecForm(argv: readonly string[]): string {
  return `[${argv.map((word) => JSON.stringify(word)).join(', ')}]`;
}

/** Returns the shell command that creates an unprivileged user with a home folder. */
export function userCreationCommand(tool: UserTool, uid: number, name: string): string {
  if (tool === 'busybox-adduser') return `adduser -D -u ${uid} ${name}`;
  return `useradd --create-home --uid ${uid} ${name}`;
}

/** Returns the offset where the line that contains `offset` starts. */
export function lineStart(text: string, offset: number): number {
  let index = offset;
  while (index > 0 && text[index - 1] !== '\n' && text[index - 1] !== '\r') index--;
  return index;
}

/** Inserts whole lines in front of the line that contains `offset`. */
export function insertLinesBefore(file: SourceFile, offset: number, lines: readonly string[]): TextEdit {
  const start = lineStart(file.text, offset);
  return { file: file.relPath, start, end: start, text: lines.map((line) => `${line}\n`).join('') };
}

/**
 * Inserts whole lines after the line on which `offset` ends, such as the end of an instruction.
 * In a file without a final line break, the lines go after a new one and the file still ends without one.
 */
export function insertLinesAfter(file: SourceFile, offset: number, lines: readonly string[]): TextEdit {
  const text = file.text;
  let index = offset;
  while (index < text.length && text[index] !== '\n' && text[index] !== '\r') index++;

  if (index === text.length) return { file: file.relPath, start: index, end: index, text: `\n${lines.join('\n')}` };
  const next = text[index] === '\r' && text[index + 1] === '\n' ? index + 2 : index + 1;
  return { file: file.relPath, start: next, end: next, text: lines.map((line) => `${line}\n`).join('') };
}

/**
 * Inserts lines into a stage where runtime settings (USER, HEALTHCHECK) belong: before its first
 * CMD or ENTRYPOINT and the comment lines right above it, or after its last instruction when it
 * has no command or a RUN follows the command (a USER there would change who runs that RUN).
 */
export function insertBeforeCommand(stage: DockerStage, lines: readonly string[]): TextEdit {
  const file = stage.fromLocation.file;
  const instructions = stage.instructions;
  const index = instructions.findIndex((instruction) => instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT');
  const runAfter = index !== -1 && instructions.slice(index + 1).some((instruction) => instruction.keyword === 'RUN');

  if (index === -1 || runAfter) return insertLinesAfter(file, stageEnd(stage), lines);

  const floor = index > 0 ? instructions[index - 1].location.end : stage.fromLocation.end;
  return insertLinesBefore(file, attachedCommentStart(file.text, instructions[index].location.start, floor), lines);
}

/** Inserts lines right after the stage's FROM and the ARG instructions that directly follow it. */
export function insertAfterFrom(stage: DockerStage, lines: readonly string[]): TextEdit {
  let end = stage.fromLocation.end;
  for (const instruction of stage.instructions) {
    if (instruction.keyword !== 'ARG') break;
    end = instruction.location.end;
  }
  return insertLinesAfter(stage.fromLocation.file, end, lines);
}

/** Returns the end of the stage's last instruction, or of its FROM line when it has none. */
export function stageEnd(stage: DockerStage): number {
  const last = stage.instructions[stage.instructions.length - 1];
  return last ? last.location.end : stage.fromLocation.end;
}

/**
 * Returns the start of the comment lines directly above the line at `offset`, which describe
 * that line; `offset` itself when a blank line or an instruction comes first. Lines that end
 * before `floor` (the previous instruction) are never included.
 */
export function attachedCommentStart(text: string, offset: number, floor: number): number {
  let start = lineStart(text, offset);

  while (start > 0) {
    const previousEnd = start - (text[start - 1] === '\n' && text[start - 2] === '\r' ? 2 : 1);
    const previousStart = lineStart(text, previousEnd);
    if (previousStart < floor || !text.slice(previousStart, previousEnd).trimStart().startsWith('#')) break;
    start = previousStart;
  }
  return start;
}

/**
 * Returns the folder of the system, relative to its root (`''` for the root), that the image
 * folder `containerFolder` holds: the COPY or ADD of the target stage or its parents that last
 * wrote a system folder over it. Null when no COPY of the build context covers the folder, or one
 * uses a variable, so the mapping is not known.
 */
export function systemFolderOf(target: EffectiveStage, files: readonly SourceFile[], containerFolder: string): string | null {
  const absolute = resolvePath('/', containerFolder);
  const context = posix.dirname(target.stage.fromLocation.file.relPath);

  for (const instruction of [...target.instructions].reverse()) {
    const copy = copyArguments(instruction);
    if (!copy) continue;

    for (const source of copy.sources) {
      const folder = normalizeFolder(posix.join(context, source));
      if (folder === null || !isSystemFolder(files, folder)) continue;

      const rest = posix.relative(copy.destination, absolute);
      if (rest.startsWith('..') || posix.isAbsolute(rest)) continue;
      return normalizeFolder(posix.join(folder, rest));
    }
  }
  return null;
}

/** Sources and absolute destination of a COPY or ADD of the build context; null for other instructions, `--from` and variables. */
function copyArguments(instruction: DockerInstructionInfo): { sources: string[]; destination: string } | null {
  const details = instructionDetails(instruction);
  if (!details || (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD')) return null;
  if (details.flags.some((flag) => flag.name === 'from')) return null;

  const parsed = parseCommandArguments(details.rest.text);
  const words = parsed.form === 'exec' ? parsed.argv : splitDockerWords(details.rest.text, details.escapeChar).map((word) => word.raw);
  if (words.length < 2 || words.some((word) => /[$*?[]/.test(word) || word.startsWith('<<'))) return null;

  const destination = resolvePath(details.workdir ?? '/', words[words.length - 1]);
  return { sources: words.slice(0, -1), destination };
}

/** Returns a folder path relative to the system root, `''` for the root, or null when it leaves the root. */
function normalizeFolder(path: string): string | null {
  const normalized = posix.normalize(path).replace(/\/+$/, '');
  if (normalized === '.' || normalized === '') return '';
  if (normalized.startsWith('..') || posix.isAbsolute(normalized)) return null;
  return normalized.replace(/^\.\//, '');
}

function isSystemFolder(files: readonly SourceFile[], folder: string): boolean {
  return folder === '' || files.some((file) => file.relPath.startsWith(`${folder}/`));
}

const TYPOGRAPHIC_CLOSERS: Record<string, string> = { '\u201C': '\u201D\u201C', '\u2018': '\u2019\u2018', '\u201D': '\u201D\u201C', '\u2019': '\u2019\u2018' };
const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Reads the words that an exec form with broken JSON was meant to have: `['gunicorn', 'app:app']`,
 * typographic quotes, a trailing comma, a missing comma, an unquoted word or number, or `"\d"`
 * (an invalid JSON escape, read as a backslash and the letter). Null when the text is not a
 * bracketed list or its quotes do not close, because then the intent is not clear.
 */
export function readIntendedExecForm(text: string): string[] | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || !trimmed.endsWith(']')) return null;

  const inner = trimmed.slice(1, -1);
  const words: string[] = [];
  let index = 0;
  let afterComma = true;

  while (index < inner.length) {
    const char = inner[index];
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (char === ',') {
      if (afterComma) return null;
      afterComma = true;
      index++;
      continue;
    }

    const element = readElement(inner, index);
    if (!element) return null;
    words.push(element.value);
    index = element.end;
    afterComma = false;
  }
  return words.length > 0 ? words : null;
}

function readElement(text: string, start: number): { value: string; end: number } | null {
  const open = text[start];
  if (open === '"') return readDoubleQuoted(text, start);
  if (open === "'") return readSingleQuoted(text, start);

  const closers = TYPOGRAPHIC_CLOSERS[open];
  if (closers) {
    let end = start + 1;
    while (end < text.length && !closers.includes(text[end])) end++;
    return end < text.length ? { value: text.slice(start + 1, end), end: end + 1 } : null;
  }

  let end = start;
  while (end < text.length && text[end] !== ',' && !/\s/.test(text[end])) end++;
  const value = text.slice(start, end);
  return /["'\u2018\u2019\u201C\u201D[\]]/.test(value) ? null : { value, end };
}

function readDoubleQuoted(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  let index = start + 1;

  while (index < text.length && text[index] !== '"') {
    const char = text[index];
    const next = text[index + 1] ?? '';
    if (char === '\\' && next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6))) {
      value += String.fromCharCode(parseInt(text.slice(index + 2, index + 6), 16));
      index += 6;
    } else if (char === '\\' && next in JSON_ESCAPES) {
      value += JSON_ESCAPES[next];
      index += 2;
    } else {
      value += char;
      index++;
    }
  }
  return index < text.length ? { value, end: index + 1 } : null;
}

function readSingleQuoted(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  let index = start + 1;

  while (index < text.length && text[index] !== "'") {
    const next = text[index + 1] ?? '';
    if (text[index] === '\\' && (next === "'" || next === '\\')) {
      value += next;
      index += 2;
    } else {
      value += text[index];
      index++;
    }
  }
  return index < text.length ? { value, end: index + 1 } : null;
}

/** True when a comment line sits inside `[start, end)`, such as between the continuation lines of an instruction. */
export function spanHasComment(file: SourceFile, start: number, end: number): boolean {
  return /[\r\n][ \t]*#/.test(file.text.slice(start, end));
}

/**
 * Sets an environment variable in a stage: appended to the stage's first ENV line in `name=value`
 * form that sets a Python or pip variable, or else on a new `ENV` line right after the FROM
 * (and the ARG lines that follow it).
 */
export function setEnvironmentVariable(stage: DockerStage, name: string, value: string): TextEdit {
  const assignment = `${name}=${value}`;

  for (const instruction of stage.instructions) {
    const details = instruction.keyword === 'ENV' ? instructionDetails(instruction) : undefined;
    const words = details ? splitDockerWords(details.rest.text, details.escapeChar) : [];
    if (words.length === 0 || !words.every((word) => /^[A-Za-z_]\w*=/.test(word.raw))) continue;
    if (!words.some((word) => /^(PYTHON|PIP_)/.test(word.raw))) continue;

    const end = instruction.location.end;
    return { file: stage.fromLocation.file.relPath, start: end, end, text: ` ${assignment}` };
  }
  return insertAfterFrom(stage, [`ENV ${assignment}`]);
}
