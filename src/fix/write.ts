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

/**
 * Writes fixed files to disk. Each file is written to a temporary file in the same folder and
 * renamed over the original, so a reader sees either the old or the new content. A file whose
 * content changed since it was read, a path outside the root, or a link leading out of it is
 * left alone; a created file never replaces an existing one.
 */
export function writeChanges(root: string, changes: readonly FileChange[]): WriteResult {
  const realRoot = fs.realpathSync(root);
  const written: string[] = [];
  const failed: Array<{ relPath: string; reason: string }> = [];

  for (const change of changes) {
    const outcome = change.original ? replaceFile(realRoot, change) : createFile(realRoot, change);
    if (outcome) failed.push({ relPath: change.relPath, reason: outcome });
    else written.push(change.relPath);
  }
  return { written, failed };
}

/** Returns null on success, or why the file was not written. */
function replaceFile(root: string, change: FileChange): string | null {
  const original = change.original!;
  let target: string;
  try {
    target = fs.realpathSync(path.join(root, change.relPath));
  } catch (error) {
    return `it cannot be read any more (${describeError(error)})`;
  }
  if (!isInside(root, target)) return 'it is a link to a file outside the system folder';

  let stat: fs.Stats;
  let current: Buffer;
  try {
    stat = fs.statSync(target);
    current = fs.readFileSync(target);
  } catch (error) {
    return `it cannot be read any more (${describeError(error)})`;
  }

  const decoded = decodeBytes(current);
  if (!decoded.ok || decoded.value.text !== original.text || decoded.value.encoding !== original.encoding || decoded.value.bom !== original.bom) {
    return 'it changed on disk while prodcheck was running';
  }

  const bytes = encodeText(change.fixed.text, original.encoding, original.bom);
  return writeAtomically(target, bytes, stat.mode & 0o7777, 'replace');
}

function createFile(root: string, change: FileChange): string | null {
  const target = path.join(root, change.relPath);
  const folder = path.dirname(target);
  try {
    fs.mkdirSync(folder, { recursive: true });
    if (!isInside(root, fs.realpathSync(folder))) return 'its folder is a link to a place outside the system folder';
  } catch (error) {
    return `its folder cannot be created (${describeError(error)})`;
  }

  const bytes = encodeText(change.fixed.text, 'utf8', false);
  return writeAtomically(target, bytes, 0o644, 'create');
}

/**
 * Writes bytes to a temporary file beside the target, flushes it, then renames it over the target
 * (`replace`) or links it to the target name, which fails if the name exists (`create`).
 */
function writeAtomically(target: string, bytes: Buffer, mode: number, how: 'replace' | 'create'): string | null {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.prodcheck-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let descriptor: number | null = null;
  try {
    descriptor = fs.openSync(temporary, 'wx', mode);
    fs.writeSync(descriptor, bytes);
    fs.fsyncSync(descriptor);
    fs.closeSync(descriptor);
    descriptor = null;
    fs.chmodSync(temporary, mode);

    if (how === 'replace') {
      fs.renameSync(temporary, target);
    } else {
      fs.linkSync(temporary, target);
      fs.unlinkSync(temporary);
    }
    return null;
  } catch (error) {
    if (descriptor !== null) fs.closeSync(descriptor);
    fs.rmSync(temporary, { force: true });
    const code = (error as { code?: string }).code;
    if (how === 'create' && code === 'EEXIST') return 'a file with that name appeared while prodcheck was running';
    if (code === 'ENOSPC') return 'the disk is full';
    if (code === 'EROFS') return 'the file system is read-only';
    return `it could not be written (${describeError(error)})`;
  }
}
