import { createHash } from 'node:crypto';
import { classifyPath } from '../discovery';
import { checkSystem, type CheckOptions } from '../engine';
import { buildModel } from '../model/build';
import type { ParseProblem, SystemModel } from '../model/types';
import type { Finding, Fix } from '../rule';
import { createSourceFile, type SourceFile } from '../source';
import type { SystemInput } from '../system';
import { createLogger } from '../log';
import { applyFixPass, withLineEnding } from './apply';

const log = createLogger('fix');

/** Fixing stops after this many passes; each pass re-checks the system and applies what it can. */
export const MAX_FIX_PASSES = 20;

export interface FixOptions extends CheckOptions {
  /** Apply unsafe fixes too. */
  unsafe: boolean;
  /** Tells whether a path exists on disk, so a fix never creates a file over one. */
  existsOnDisk: (relPath: string) => boolean;
  /**
   * True for the files fixes may edit or create; a fix that touches any other file is not
   * applied. All files when unset. Checks of named files only (a pre-commit hook) set it, which
   * also covers the fixes the engine builds, such as deleting an unused suppression comment.
   */
  editableFiles?: (relPath: string) => boolean;
}

export interface FileChange {
  relPath: string;
  /** The file as read, or null for a created file. */
  original: SourceFile | null;
  /** The fixed file, in the original's encoding, BOM and line endings. */
  fixed: SourceFile;
}

export interface FixOutcome {
  changes: FileChange[];
  applied: Finding[];
  /**
   * Fixes undone because the file no longer parsed, or that could not apply, each listed once.
   * A fix whose finding is gone from the fixed system is not listed.
   */
  failed: Array<{ finding: Finding; reason: string }>;
  /** The findings of the fixed system. */
  remaining: Finding[];
  model: SystemModel;
  passes: number;
  /** True when the fixes undid each other and fixing stopped early. */
  oscillated: boolean;
}

/** Records why a fix was not applied. A later failure with the same key replaces an earlier one. */
type RecordFailure = (finding: Finding, reason: string, key?: string) => void;

/** Fixes the system in memory: check, apply fixes, re-parse, repeat until nothing changes or the pass limit. */
export function fixSystem(input: SystemInput, options: FixOptions): FixOutcome {
  const originals = new Map(input.files.map((file) => [file.relPath, file]));
  const current = new Map(originals);
  const applied: Finding[] = [];
  const failures = new Map<string, { finding: Finding; reason: string }>();
  const fail: RecordFailure = (finding, reason, key = `${finding.ruleId}\u0000${finding.file}\u0000${finding.message}\u0000${reason}`) => {
    // A fix that cannot apply is tried again in every later pass, and only its latest failure is kept.
    failures.delete(key);
    failures.set(key, { finding, reason });
  };
  const seenStates = new Set<string>([stateKey(current)]);
  let oscillated = false;
  let passes = 0;

  while (passes < MAX_FIX_PASSES) {
    const { findings, model } = checkSystem(withFiles(input, current), options);
    const candidates = findings.filter((finding) => finding.fix && (finding.fix.safety === 'safe' || options.unsafe) && editsOnly(finding.fix, options.editableFiles));
    const fixable = withoutEditsToUnparsableFiles(candidates, model, fail);
    if (fixable.length === 0) break;

    passes++;
    const exists = (relPath: string): boolean => current.has(relPath) || (!originals.has(relPath) && options.existsOnDisk(relPath));
    let pass = applyFixPass(fixable, { get: (relPath) => current.get(relPath) }, exists);
    for (const rejected of pass.rejected) fail(rejected.finding, rejected.reason);

    const broken = brokenFiles(pass.changed, pass.created, current, originals);
    if (broken.size > 0) {
      // Undo every fix that touches a file that stopped parsing, then apply the others again.
      const kept = pass.applied.filter((finding) => !touchesAny(finding, broken));
      for (const finding of pass.applied) {
        if (touchesAny(finding, broken)) fail(finding, `the fixed file \`${[...broken.keys()].find((file) => touches(finding, file))}\` no longer parses, so the fix was undone`);
      }
      pass = applyFixPass(kept, { get: (relPath) => current.get(relPath) }, exists);
      if (brokenFiles(pass.changed, pass.created, current, originals).size > 0) break;
    }
    if (pass.applied.length === 0) break;

    for (const [relPath, text] of pass.changed) current.set(relPath, rebuild(current.get(relPath)!, text));
    for (const [relPath, text] of pass.created) current.set(relPath, newFile(relPath, text, current));
    applied.push(...pass.applied);
    log('pass %d applied %d fixes', passes, pass.applied.length);

    const key = stateKey(current);
    if (seenStates.has(key)) {
      oscillated = true;
      break;
    }
    seenStates.add(key);
  }

  const final = checkSystem(withFiles(input, current), options);
  const changes: FileChange[] = [];
  for (const [relPath, file] of current) {
    const original = originals.get(relPath) ?? null;
    if (!original || original.text !== file.text) changes.push({ relPath, original, fixed: file });
  }
  changes.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));

  const remainingKeys = new Set(final.findings.map((finding) => `${finding.ruleId}\u0000${finding.file}`));
  const failed = [...failures.values()].filter(({ finding }) => remainingKeys.has(`${finding.ruleId}\u0000${finding.file}`));
  return { changes, applied, failed, remaining: final.findings, model: final.model, passes, oscillated };
}

function withFiles(input: SystemInput, files: Map<string, SourceFile>): SystemInput {
  const list = [...files.values()];
  return {
    ...input,
    files: list,
    load: (relPath, kind) => files.get(relPath) ?? input.load(relPath, kind),
  };
}

function rebuild(file: SourceFile, text: string): SourceFile {
  const rebuilt = createSourceFile(file.relPath, file.kind, text, file.encoding, file.bom);
  rebuilt.eol = file.eol;
  return rebuilt;
}

/** Builds a created file in UTF-8, its text converted to the line ending most existing files use. */
function newFile(relPath: string, text: string, current: Map<string, SourceFile>): SourceFile {
  const kind = classifyPath(relPath) ?? 'python';
  const crlf = [...current.values()].filter((existing) => existing.eol === '\r\n').length;
  const eol = crlf > current.size / 2 ? '\r\n' : '\n';
  const file = createSourceFile(relPath, kind, withLineEnding(text, eol));
  file.eol = eol;
  return file;
}

/** Returns the changed or created files that have more parse problems than before the pass, with their problems. */
function brokenFiles(
  changed: Map<string, string>,
  created: Map<string, string>,
  current: Map<string, SourceFile>,
  originals: Map<string, SourceFile>,
): Map<string, ParseProblem[]> {
  const broken = new Map<string, ParseProblem[]>();
  for (const [relPath, text] of changed) {
    const before = current.get(relPath)!;
    const after = rebuild(before, text);
    const problems = parseProblems(after);
    if (problems.length > parseProblems(originals.get(relPath) ?? before).length) broken.set(relPath, problems);
  }
  for (const [relPath, text] of created) {
    const problems = parseProblems(newFile(relPath, text, current));
    if (problems.length > 0) broken.set(relPath, problems);
  }
  return broken;
}

/** Parses one file on its own and returns its parse problems. */
function parseProblems(file: SourceFile): ParseProblem[] {
  const model = buildModel({ root: '', files: [file], skipped: [], load: (relPath) => ({ relPath, reason: 'is not read while validating a fix' }) });
  const problems = [...model.python.problems, ...model.docker.problems, ...model.requirements.problems, ...model.yaml.problems, ...(model.gunicorn.problems ?? [])];
  return problems.filter((problem) => problem.location.file.relPath === file.relPath);
}

/**
 * Returns the fixes that edit no Python file with a syntax error, and records one failure for each
 * such file. Their edits were computed on a tree that the parser rebuilt around the error, so they
 * may land in the wrong place and change what the rest of the file means.
 */
function withoutEditsToUnparsableFiles(candidates: readonly Finding[], model: SystemModel, fail: RecordFailure): Finding[] {
  const unparsable = unparsablePythonFiles(model);
  for (const relPath of unparsable.keys()) {
    const waiting = candidates.filter((finding) => touches(finding, relPath));
    if (waiting.length === 0) continue;
    const outcome = waiting.length === 1 ? 'did not apply the fix that edits it' : `applied none of the ${waiting.length} fixes that edit it`;
    fail(waiting[0], `\`${relPath}\` has a Python syntax error, so prodcheck ${outcome}`, `syntax error\u0000${relPath}`);
  }
  return candidates.filter((finding) => !touchesAny(finding, unparsable));
}

/** Returns the Python files, Gunicorn config included, that have a syntax error, with their problems. */
function unparsablePythonFiles(model: SystemModel): Map<string, ParseProblem[]> {
  const unparsable = new Map<string, ParseProblem[]>();
  for (const problem of [...model.python.problems, ...(model.gunicorn.problems ?? [])]) {
    const file = problem.location.file;
    if (file.kind !== 'python' && file.kind !== 'gunicorn-config') continue;
    unparsable.set(file.relPath, [...(unparsable.get(file.relPath) ?? []), problem]);
  }
  return unparsable;
}

function editsOnly(fix: Fix, editable: ((relPath: string) => boolean) | undefined): boolean {
  if (!editable) return true;
  return fix.edits.every((edit) => editable(edit.file)) && (fix.newFiles ?? []).every((created) => editable(created.file));
}

function touches(finding: Finding, relPath: string): boolean {
  const fix = finding.fix;
  if (!fix) return false;
  return fix.edits.some((edit) => edit.file === relPath) || (fix.newFiles ?? []).some((file) => file.file === relPath);
}

function touchesAny(finding: Finding, files: Map<string, unknown>): boolean {
  return [...files.keys()].some((relPath) => touches(finding, relPath));
}

function stateKey(files: Map<string, SourceFile>): string {
  const hash = createHash('sha256');
  for (const [relPath, file] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`${relPath}\u0000${file.text}\u0000`);
  return hash.digest('hex');
}
