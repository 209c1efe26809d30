import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../rules';
import { describeError, discoverSystem, readSystemFile } from './discovery';
import { createTwoFilesPatch } from 'diff';
import { checkSystem } from './engine';
import { fixSystem, type FixOutcome } from './fix/loop';
import { writeChanges } from './fix/write';
import { createLogger } from './log';
import type { Colors } from './report/colors';
import { formatJson } from './report/json';
import { formatStylish, type ReportedSystem } from './report/stylish';
import { SEVERITY_RANK, type Finding, type Severity } from './rule';
import type { SystemInput } from './system';
import { toolVersion } from './version';

const log = createLogger('run');

export type OutputFormat = 'stylish' | 'json';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['stylish', 'json'];

export interface RunOptions {
  /** The folder (or one file of it) to check, as the user wrote it. */
  target: string;
  cwd: string;
  format: OutputFormat;
  /** The lowest severity that makes the exit code 1. */
  failOn: Severity;
  colors: Colors;
  /** The Dockerfile stage whose image runs; the last stage when unset. */
  dockerTarget?: string;
  /** The fixes to apply: none, safe ones, or safe and unsafe ones. */
  fix?: 'none' | 'safe' | 'unsafe';
  /** Print the fixes as a unified diff instead of writing them. */
  diff?: boolean;
}

export interface RunResult {
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

/** Checks the target and formats the result. Never throws: internal errors end with exit code 2 and a message. */
export function run(options: RunOptions): RunResult {
  try {
    return runChecked(options);
  } catch (error) {
    log('internal error: %O', error);
    const message = error instanceof Error ? error.message : String(error);
    return {
      exitCode: 2,
      stdout: '',
      stderr: `prodcheck: internal error while checking \`${options.target}\`: ${message}\nRun with DEBUG=prodcheck:* to see where it happened, and report it with that output.\n`,
    };
  }
}

function runChecked(options: RunOptions): RunResult {
  const absolute = path.resolve(options.cwd, options.target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch (error) {
    return usageError(`\`${options.target}\` cannot be read: ${describeError(error)}. Pass the folder of the system to check.`);
  }

  const root = stat.isDirectory() ? absolute : path.dirname(absolute);
  const onlyFile = stat.isDirectory() ? null : path.basename(absolute);
  let discovered;
  try {
    discovered = discoverSystem(root);
  } catch (error) {
    return usageError(`\`${options.target}\` cannot be listed: ${describeError(error)}.`);
  }

  const input: SystemInput = {
    root,
    files: discovered.files,
    skipped: discovered.skipped,
    load: (relPath, kind) => {
      if (path.isAbsolute(relPath) || relPath.split('/').includes('..')) {
        return { relPath, reason: 'is outside the system folder, so it was not read' };
      }
      return readSystemFile(root, relPath, kind);
    },
  };

  let stderr = '';
  if (discovered.files.length === 0 && discovered.skipped.length === 0) {
    stderr += `prodcheck: no files to check under \`${options.target}\` (looked for Python modules, Dockerfiles, requirements, Gunicorn config and YAML).\n`;
  }

  const displayRoot = displayPath(options.cwd, root);
  const fixMode = options.fix ?? 'none';
  let notes = '';

  if (fixMode !== 'none' || options.diff) {
    const outcome = fixSystem(input, {
      rules: allRules,
      dockerTarget: options.dockerTarget,
      unsafe: fixMode === 'unsafe',
      existsOnDisk: (relPath) => fs.existsSync(path.join(root, relPath)),
    });
    if (options.diff) {
      const patch = formatDiff(outcome, displayRoot);
      return { exitCode: patch ? 1 : 0, stdout: patch, stderr: stderr + describeFixes(outcome, null) };
    }

    const written = writeChanges(root, outcome.changes);
    notes += describeFixes(outcome, written);
    const rediscovered = discoverSystem(root);
    input.files = rediscovered.files;
    input.skipped = rediscovered.skipped;
  }

  const { findings } = checkSystem(input, { rules: allRules, dockerTarget: options.dockerTarget });
  const shown = onlyFile ? findings.filter((finding) => finding.file === onlyFile) : findings;
  const systems: ReportedSystem[] = [{ displayRoot, findings: shown }];
  notes += describeAvailableFixes(shown, fixMode);

  let stdout = options.format === 'json' ? formatJson(systems, toolVersion()) : formatStylish(systems, options.colors);
  if (options.format === 'json') stderr += notes;
  else stdout += notes;

  const failing = shown.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[options.failOn]);
  return { exitCode: failing ? 1 : 0, stdout, stderr };
}

function formatDiff(outcome: FixOutcome, displayRoot: string): string {
  const prefix = displayRoot === '.' ? '' : `${displayRoot}/`;
  return outcome.changes
    .map((change) => {
      const before = change.original ? change.original.text : '';
      const oldName = change.original ? `a/${prefix}${change.relPath}` : '/dev/null';
      return createTwoFilesPatch(oldName, `b/${prefix}${change.relPath}`, before, change.fixed.text, '', '', { context: 3 });
    })
    .map((patch) => patch.replace(/^=+\n/, ''))
    .join('');
}

function describeFixes(outcome: FixOutcome, written: ReturnType<typeof writeChanges> | null): string {
  const lines: string[] = [];
  const files = written ? written.written.length : outcome.changes.length;
  const verb = written ? 'Fixed' : 'Would fix';
  if (outcome.applied.length > 0) {
    lines.push(`${verb} ${plural(outcome.applied.length, 'problem')} in ${plural(files, 'file')}.`);
  }
  for (const failure of written?.failed ?? []) lines.push(`Did not write \`${failure.relPath}\`: ${failure.reason}; the file is unchanged.`);
  for (const failure of outcome.failed) lines.push(`Fix for ${failure.finding.ruleId} at ${failure.finding.file}:${failure.finding.line} not applied: ${failure.reason}.`);
  if (outcome.oscillated) lines.push('Stopped fixing because two fixes kept undoing each other; the remaining findings need a manual change.');
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function describeAvailableFixes(findings: readonly Finding[], mode: 'none' | 'safe' | 'unsafe'): string {
  const safe = findings.filter((finding) => finding.fix?.safety === 'safe').length;
  const unsafe = findings.filter((finding) => finding.fix?.safety === 'unsafe').length;
  const lines: string[] = [];
  if (mode === 'none' && safe > 0) lines.push(`${plural(safe, 'problem')} can be fixed with \`--fix\`.`);
  if (mode !== 'unsafe' && unsafe > 0) lines.push(`${plural(unsafe, 'problem')} ${unsafe === 1 ? 'has an' : 'have'} unsafe fix${unsafe === 1 ? '' : 'es'}; review them with \`--diff --unsafe-fixes\` and apply them with \`--fix --unsafe-fixes\`.`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function usageError(message: string): RunResult {
  return { exitCode: 2, stdout: '', stderr: `prodcheck: ${message}\n` };
}

function displayPath(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  if (relative === '') return '.';
  if (relative.startsWith('..') || path.isAbsolute(relative)) return absolute.split(path.sep).join('/');
  return relative.split(path.sep).join('/');
}

/** Formats the rule list for `prodcheck rules`: id, default severity, fix safety and description. */
export function formatRuleList(colors: Colors): string {
  const idWidth = Math.max(...allRules.map((rule) => rule.meta.id.length));
  const lines = allRules.map((rule) => {
    const severity = rule.meta.severity.padEnd(7);
    const fixable = rule.meta.fixable === 'none' ? '      ' : rule.meta.fixable.padEnd(6);
    return `${rule.meta.id.padEnd(idWidth)}  ${colors.dim(severity)}  ${colors.dim(fixable)}  ${rule.meta.description}`;
  });
  return `${lines.join('\n')}\n`;
}
