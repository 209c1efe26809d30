import { classifyPath, type SkippedFile } from './discovery';
import { createSourceFile, type FileKind, type SourceFile } from './source';

/** Reads a further file of the system by relative path, such as a requirements file named by `-r`. */
export type FileLoader = (relPath: string, kind: FileKind) => SourceFile | SkippedFile;

/** The files of one system, read and decoded, before parsing. */
export interface SystemInput {
  root: string;
  files: SourceFile[];
  skipped: SkippedFile[];
  load: FileLoader;
}

/** Builds a system from in-memory files keyed by relative path; used by tests and rule examples. */
export function systemFromMemory(contents: Record<string, string>, root = ''): SystemInput {
  const files: SourceFile[] = [];
  for (const [relPath, text] of Object.entries(contents)) {
    const kind = classifyPath(relPath);
    if (kind) files.push(createSourceFile(relPath, kind, text));
  }

  const load: FileLoader = (relPath, kind) => {
    const existing = files.find((file) => file.relPath === relPath);
    if (existing) return existing;
    if (!(relPath in contents)) return { relPath, reason: 'cannot be read: no such file' };
    return createSourceFile(relPath, kind, contents[relPath]);
  };

  return { root, files, skipped: [], load };
}
