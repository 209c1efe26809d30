import type { Finding, Fix, TextEdit } from '../rule';
import type { LineEnding } from '../source';

/** The text of the system's files at the start of one fixing pass. */
export interface FileTexts {
  get(relPath: string): { text: string; eol: LineEnding } | undefined;
}

export interface AppliedPass {
  /** New text of each edited file. */
  changed: Map<string, string>;
  /** Content of each created file. */
  created: Map<string, string>;
  applied: Finding[];
  /** Fixes left for a later pass because they overlap an accepted one, or touch a file created in this pass. */
  deferred: Finding[];
  /** Fixes that can never apply, with the reason. */
  rejected: Array<{ finding: Finding; reason: string }>;
}

/**
 * Applies the fixes of the findings to the texts, in finding order. A fix is all or nothing: it is
 * taken only when none of its edits overlaps an edit already taken, in any file, and none of the
 * files it creates exists. Inserted line breaks follow each file's own line ending.
 */
export function applyFixPass(findings: readonly Finding[], texts: FileTexts, exists: (relPath: string) => boolean): AppliedPass {
  const taken = new Map<string, TextEdit[]>();
  const created = new Map<string, string>();
  const applied: Finding[] = [];
  const deferred: Finding[] = [];
  const rejected: Array<{ finding: Finding; reason: string }> = [];

  for (const finding of findings) {
    const fix = finding.fix;
    if (!fix) continue;

    const problem = validateFix(fix, texts);
    if (problem) {
      rejected.push({ finding, reason: problem });
      continue;
    }
    if (fix.newFiles?.some((file) => exists(file.file) && !created.has(file.file))) {
      rejected.push({ finding, reason: `it creates \`${fix.newFiles.find((file) => exists(file.file))!.file}\`, which already exists` });
      continue;
    }
    if (conflicts(fix, taken, created)) {
      deferred.push(finding);
      continue;
    }

    for (const edit of fix.edits) {
      const list = taken.get(edit.file) ?? [];
      list.push(edit);
      taken.set(edit.file, list);
    }
    for (const file of fix.newFiles ?? []) created.set(file.file, file.content);
    applied.push(finding);
  }

  const changed = new Map<string, string>();
  for (const [file, edits] of taken) {
    const current = texts.get(file)!;
    changed.set(file, applyEdits(current.text, edits, current.eol));
  }
  return { changed, created, applied, deferred, rejected };
}

function validateFix(fix: Fix, texts: FileTexts): string | null {
  for (const edit of fix.edits) {
    const file = texts.get(edit.file);
    if (!file) return `it edits \`${edit.file}\`, which is not a file of the system`;
    if (edit.start < 0 || edit.end < edit.start || edit.end > file.text.length) return `an edit of \`${edit.file}\` is out of range`;
  }
  for (const file of fix.newFiles ?? []) {
    if (!isSafeRelativePath(file.file)) return `it would create \`${file.file}\`, outside the system folder`;
  }
  return null;
}

/** True when the fix touches a range another accepted fix edits, or a file created in this pass. */
function conflicts(fix: Fix, taken: Map<string, TextEdit[]>, created: Map<string, string>): boolean {
  for (const edit of fix.edits) {
    if (created.has(edit.file)) return true;
    for (const other of taken.get(edit.file) ?? []) {
      if (overlaps(edit, other)) return true;
    }
  }
  return (fix.newFiles ?? []).some((file) => created.has(file.file) || taken.has(file.file));
}

/**
 * Two edits overlap when their ranges share a character, or when one inserts inside or at either
 * end of the other's range: text inserted next to a replaced span could land on the wrong side of it.
 */
function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === a.end) return b.start <= a.start && a.start <= b.end;
  if (b.start === b.end) return a.start <= b.start && b.start <= a.end;
  return a.start < b.end && b.start < a.end;
}

/** Applies non-overlapping edits from the end of the text backwards, so earlier offsets stay valid. */
export function applyEdits(text: string, edits: readonly TextEdit[], eol: LineEnding): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, edit.start) + withLineEnding(edit.text, eol) + result.slice(edit.end);
  }
  return result;
}

/** Converts every line break of inserted text to the file's own line ending. */
export function withLineEnding(text: string, eol: LineEnding): string {
  if (eol === '\n') return text.replace(/\r\n?/g, '\n');
  return text.replace(/\r\n|\r|\n/g, eol);
}

export function isSafeRelativePath(relPath: string): boolean {
  if (!relPath || relPath.startsWith('/') || /^[A-Za-z]:/.test(relPath) || relPath.includes('\\')) return false;
  return relPath.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
