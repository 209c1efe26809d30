import { classifyPath, type SkippedFile } from './discovery';
import type { ExampleFile } from './rule';
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

/**
 * Builds a system from in-memory files keyed by relative path; used by tests and rule examples.
 * A file given as an object is taken as saved in its encoding, with or without a byte order mark.
 */
export function systemFromMemory(contents: Record<string, ExampleFile>, root = ''): SystemInput {
  const sourceOf = (relPath: string, kind: FileKind): SourceFile => {
    const content = contents[relPath];
    if (typeof content === 'string') return createSourceFile(relPath, kind, content);
    return createSourceFile(relPath, kind, content.text, content.encoding, content.bom);
  };

  const files: SourceFile[] = [];
  for (const relPath of Object.keys(contents)) {
    const kind = classifyPath(relPath);
    if (kind) files.push(sourceOf(relPath, kind));
  }

  const load: FileLoader = (relPath, kind) => {
    const existing = files.find((file) => file.relPath === relPath);
    if (existing) return existing;
    if (!Object.hasOwn(contents, relPath)) return { relPath, reason: 'cannot be read: no such file' };
    return sourceOf(relPath, kind);
  };

  return { root, files, skipped: [], load };
}
