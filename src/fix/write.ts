import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeBytes, encodeText } from '../decode';
import { describeError, isInside } from '../discovery';
import type { FileChange } from './loop';

export interface WriteResult {
  written: string[];
  /** Files left as they were, with the reason. */
  failed: Array<{ relPath: string; reason: string }>;
}

/** A fixed file written to a temporary file beside its target, not yet in place. */
interface StagedWrite {
  change: FileChange;
  target: string;
  temporary: string;
  /** Folders created for a created file, deepest first, removed again when the write is abandoned. */
  createdFolders: string[];
}

type StageOutcome = { staged: StagedWrite } | { leftAlone: string } | { writeFailed: string };

/**
 * Writes fixed files to disk in two steps. First every fixed file is written in full to a
 * temporary file beside its target and flushed. If any of these writes fails (a full disk, a
 * read-only file system), every temporary file is removed and no file changes. Otherwise each
 * temporary file is renamed over its target, created files before edited ones because an edited
 * file may import a created one. A reader sees each file either old or new, and a crash leaves
 * at most prodcheck's own `.NAME.prodcheck-PID-HEX.tmp` files behind. A file whose content
 * changed since it was read, a path outside the root, or a link leading out of it is left alone,
 * and a created file never replaces an existing one.
 */
export function writeChanges(root: string, changes: readonly FileChange[]): WriteResult {
  const realRoot = fs.realpathSync(root);
  const reasons = new Map<string, string>();
  const staged: StagedWrite[] = [];

  for (const change of changes) {
    const outcome = change.original ? stageReplacement(realRoot, change) : stageCreation(realRoot, change);
    if ('staged' in outcome) {
      staged.push(outcome.staged);
      continue;
    }
    if ('leftAlone' in outcome) {
      reasons.set(change.relPath, outcome.leftAlone);
      continue;
    }

    staged.forEach(discard);
    reasons.set(change.relPath, outcome.writeFailed);
    const aborted = `no fixed file was written, because \`${change.relPath}\` could not be written`;
    return { written: [], failed: changes.map((other) => ({ relPath: other.relPath, reason: reasons.get(other.relPath) ?? aborted })) };
  }

  const written: string[] = [];
  const creationsFirst = [...staged.filter((write) => !write.change.original), ...staged.filter((write) => write.change.original)];
  for (const write of creationsFirst) {
    const problem = write.change.original ? commitReplacement(write) : commitCreation(write);
    if (problem) reasons.set(write.change.relPath, problem);
    else written.push(write.change.relPath);
  }

  const failed = changes.filter((change) => reasons.has(change.relPath)).map((change) => ({ relPath: change.relPath, reason: reasons.get(change.relPath)! }));
  return { written: changes.map((change) => change.relPath).filter((relPath) => written.includes(relPath)), failed };
}

function stageReplacement(root: string, change: FileChange): StageOutcome {
  if (!isInside(root, path.join(root, change.relPath))) return { leftAlone: 'it is outside the system folder' };

  let target: string;
  try {
    target = fs.realpathSync(path.join(root, change.relPath));
  } catch (error) {
    return { leftAlone: `it cannot be read any more (${describeError(error)})` };
  }
  if (!isInside(root, target)) return { leftAlone: 'it is a link to a file outside the system folder' };

  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    return { leftAlone: `it cannot be read any more (${describeError(error)})` };
  }
  const changed = changedOnDisk(target, change);
  if (changed) return { leftAlone: changed };

  const original = change.original!;
  const bytes = encodeText(change.fixed.text, original.encoding, original.bom);
  return writeTemporary({ change, target, temporary: temporaryPath(target), createdFolders: [] }, bytes, stat.mode & 0o7777, stat);
}

function stageCreation(root: string, change: FileChange): StageOutcome {
  const target = path.join(root, change.relPath);
  const folder = path.dirname(target);
  let createdFolders: string[];
  try {
    createdFolders = foldersCreated(folder, fs.mkdirSync(folder, { recursive: true }));
  } catch (error) {
    return { writeFailed: `its folder cannot be created (${describeWriteError(error)})` };
  }

  const write: StagedWrite = { change, target, temporary: temporaryPath(target), createdFolders };
  let realFolder: string;
  try {
    realFolder = fs.realpathSync(folder);
  } catch (error) {
    discard(write);
    return { leftAlone: `its folder cannot be read (${describeError(error)})` };
  }
  if (!isInside(root, realFolder)) {
    discard(write);
    return { leftAlone: 'its folder is a link to a place outside the system folder' };
  }

  const bytes = encodeText(change.fixed.text, 'utf8', false);
  return writeTemporary(write, bytes, 0o644, null);
}

/**
 * Writes all the bytes to the staged write's temporary file and flushes them. `owner` gives the
 * owner and group to keep. Returns the write as staged, or why it failed with nothing left behind.
 */
function writeTemporary(write: StagedWrite, bytes: Buffer, mode: number, owner: { uid: number; gid: number } | null): StageOutcome {
  let descriptor: number | null = null;
  try {
    descriptor = fs.openSync(write.temporary, 'wx', mode);
    // A write to a nearly full disk can store only part of the bytes and report how many.
    for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(descriptor, bytes, offset, bytes.length - offset);
    if (owner) keepOwner(descriptor, owner);
    fs.fsyncSync(descriptor);
    fs.closeSync(descriptor);
    descriptor = null;
    fs.chmodSync(write.temporary, mode);
    return { staged: write };
  } catch (error) {
    if (descriptor !== null) fs.closeSync(descriptor);
    discard(write);
    return { writeFailed: describeWriteError(error) };
  }
}

/**
 * Gives the temporary file the owner and group of the file it replaces, so a run as root does not
 * hand a user's files to root. A user who may not do that keeps the file as their own, as an
 * editor that saves by renaming does.
 */
function keepOwner(descriptor: number, owner: { uid: number; gid: number }): void {
  if (owner.uid === process.getuid?.() && owner.gid === process.getgid?.()) return;
  try {
    fs.fchownSync(descriptor, owner.uid, owner.gid);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EPERM' && code !== 'EINVAL') throw error;
  }
}

function commitReplacement(write: StagedWrite): string | null {
  // Checked again just before the rename, since another program may have written the file meanwhile.
  const changed = changedOnDisk(write.target, write.change);
  if (changed) {
    discard(write);
    return changed;
  }

  try {
    fs.renameSync(write.temporary, write.target);
    return null;
  } catch (error) {
    discard(write);
    return describeWriteError(error);
  }
}

/** Links the temporary file to the target name, which fails if a file of that name exists. */
function commitCreation(write: StagedWrite): string | null {
  try {
    fs.linkSync(write.temporary, write.target);
  } catch (error) {
    discard(write);
    if ((error as { code?: string }).code === 'EEXIST') return 'a file with that name appeared while prodcheck was running';
    return describeWriteError(error);
  }
  fs.rmSync(write.temporary, { force: true });
  return null;
}

/** Returns why the file on disk no longer matches what the fix was computed from, or null. */
function changedOnDisk(target: string, change: FileChange): string | null {
  const original = change.original!;
  let current: Buffer;
  try {
    current = fs.readFileSync(target);
  } catch (error) {
    return `it cannot be read any more (${describeError(error)})`;
  }

  const decoded = decodeBytes(current);
  if (!decoded.ok || decoded.value.text !== original.text || decoded.value.encoding !== original.encoding || decoded.value.bom !== original.bom) {
    return 'it changed on disk while prodcheck was running';
  }
  return null;
}

/** Removes a staged write's temporary file and the folders created for it. */
function discard(write: StagedWrite): void {
  fs.rmSync(write.temporary, { force: true });
  for (const folder of write.createdFolders) {
    try {
      fs.rmdirSync(folder);
    } catch {
      // The folder stays when another created file uses it.
    }
  }
}

/** Lists the folders that `mkdirSync` created, from `folder` up to `first`, the first one it created. */
function foldersCreated(folder: string, first: string | undefined): string[] {
  if (first === undefined) return [];
  const created: string[] = [];
  for (let current = folder; isInside(first, current); current = path.dirname(current)) {
    created.push(current);
    if (current === first) break;
  }
  return created;
}

function temporaryPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.prodcheck-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function describeWriteError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EDQUOT') return 'the disk quota is exceeded';
  if (code === 'EROFS') return 'the file system is read-only';
  return `it could not be written (${describeError(error)})`;
}
