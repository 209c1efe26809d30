import { GUNICORN_LONG_FLAGS, gunicornSettingByFlag } from '../../data/gunicorn-settings';
import type { GunicornSetting, SystemModel } from '../../src/model/types';
import type { TextEdit } from '../../src/rule';
import type { Location } from '../../src/source';

/**
 * A flag and its value as a setting's location spans them: `--timeout 0` (shell form and
 * GUNICORN_CMD_ARGS), `"--timeout", "0"` (exec form, quotes included), `--timeout=0` and `-t0`.
 * The value is one plain word: no quotes, no `$` expansion, no backslash.
 */
const FLAG_AND_VALUE = /^("?)(--?[A-Za-z][\w-]*)(=|\s+|"\s*,\s*"|)([^\s"'`$\\,=]+)\1$/;

/**
 * Replaces the value of a flag written in a Dockerfile (CMD, ENTRYPOINT or GUNICORN_CMD_ARGS).
 * Returns null unless the setting's location spans exactly one flag of the setting and its plain
 * value, so a repeated flag, a `$VAR` value or a flag in a script or compose file gets no edit.
 */
export function replaceFlagValue(setting: GunicornSetting, value: string): TextEdit | null {
  const location = dockerfileFlag(setting);
  if (!location) return null;

  const match = FLAG_AND_VALUE.exec(location.file.text.slice(location.start, location.end));
  if (!match) return null;

  const [, quote, flag, separator, current] = match;
  if (!isFlagOf(flag, setting.name) || (separator === '' && flag.startsWith('--'))) return null;

  const end = location.end - quote.length;
  return { file: location.file.relPath, start: end - current.length, end, text: value };
}

/**
 * Removes a flag that takes no value (`--reload`) from a Dockerfile command line: in exec form
 * the JSON element and one comma, elsewhere the word and the blanks after it (or before it, at
 * the end). Returns null when the location is not exactly the flag, or when the flag is the only
 * element of an exec-form array.
 */
export function removeFlag(model: SystemModel, setting: GunicornSetting): TextEdit | null {
  const location = dockerfileFlag(setting);
  if (!location) return null;

  // The model locates exec-form words with their quotes and shell words without.
  const text = location.file.text;
  const written = text.slice(location.start, location.end);
  const quoted = written.length > 2 && written.startsWith('"') && written.endsWith('"');
  if (!isFlagOf(quoted ? written.slice(1, -1) : written, setting.name)) return null;

  const jsonElement = quoted && setting.source === 'command-line' && inExecForm(model, location);
  const range = jsonElement ? jsonElementRange(text, location) : wordRange(text, location);
  if (!range) return null;

  const removed = lineOfItsOwn(text, range);
  if (leavesBlankLine(text, removed)) return null;
  return { file: location.file.relPath, start: removed.start, end: removed.end, text: '' };
}

/** Returns the location of a setting given as a flag in a Dockerfile, or null for settings from anywhere else. */
function dockerfileFlag(setting: GunicornSetting): Location | null {
  const location = setting.location;
  if (setting.source !== 'command-line' && setting.source !== 'env') return null;
  if (!location || location.file.kind !== 'dockerfile' || location.end <= location.start) return null;
  return location;
}

/** True when the word is a flag of the setting, or a prefix of its long flag that Gunicorn's argparse accepts. */
function isFlagOf(word: string, settingName: string): boolean {
  if (gunicornSettingByFlag(word)?.name === settingName) return true;
  if (!word.startsWith('--') || word.length < 3) return false;

  const matches = GUNICORN_LONG_FLAGS.filter((flag) => flag.startsWith(word)).map((flag) => gunicornSettingByFlag(flag)?.name);
  return matches.length > 0 && matches.every((name) => name === settingName);
}

function inExecForm(model: SystemModel, location: Location): boolean {
  const target = model.docker.main?.target;
  return [target?.cmd, target?.entrypoint].some(
    (spec) => spec?.form === 'exec' && spec.location.file === location.file && spec.location.start <= location.start && location.end <= spec.location.end,
  );
}

/** Returns the range of a quoted element with the comma after it, or with the comma before it when it is the last element. */
function jsonElementRange(text: string, element: Location): { start: number; end: number } | null {
  const { start, end } = element;

  const after = /^\s*,\s*/.exec(text.slice(end));
  if (after) return { start, end: end + after[0].length };

  const before = /,\s*$/.exec(text.slice(0, start));
  return before ? { start: start - before[0].length, end } : null;
}

/** Returns the range of a word with the blanks after it, or with the blanks before it when a quote or the line end follows. */
function wordRange(text: string, location: Location): { start: number; end: number } {
  const after = /^[ \t]+/.exec(text.slice(location.end));
  if (after) return { start: location.start, end: location.end + after[0].length };

  const before = /[ \t]+$/.exec(text.slice(0, location.start));
  return { start: location.start - (before?.[0].length ?? 0), end: location.end };
}

/** Widens a range that is alone on its line, apart from indentation and a `\\` continuation, to the whole line. */
function lineOfItsOwn(text: string, range: { start: number; end: number }): { start: number; end: number } {
  const lineStart = startOfLine(text, range.start);
  const rest = /^[ \t]*\\[ \t]*(\r\n|\n|\r)/.exec(text.slice(range.end));
  if (!rest || !/^[ \t]*$/.test(text.slice(lineStart, range.start))) return range;
  return { start: lineStart, end: range.end + rest[0].length };
}

/**
 * True when removing the range leaves a blank line, as for the last word of a continued command.
 * Docker reads a blank line after a `\\` continuation as an empty continuation line, which it
 * warns about and may reject, so such a flag is left for a person to remove.
 */
function leavesBlankLine(text: string, range: { start: number; end: number }): boolean {
  if (/[\r\n]$/.test(text.slice(range.start, range.end))) return false;

  const lineStart = startOfLine(text, range.start);
  const lineEnd = /[\r\n]|$/.exec(text.slice(range.end))!.index + range.end;
  return /^[ \t]*$/.test(text.slice(lineStart, range.start) + text.slice(range.end, lineEnd));
}

function startOfLine(text: string, offset: number): number {
  return Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
}
