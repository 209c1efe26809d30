import { lineStarts, lineText, type SourceFile } from '../src/source';

const MARKER = /#\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*$/;

/**
 * Reads the `# expect: rule-id[, rule-id]` markers of a file: a marker after code labels its own
 * line; a marker alone on a line labels the next line that is neither blank nor a comment.
 * Returns `file:line:rule-id` keys.
 */
export function expectedFindings(file: SourceFile): string[] {
  const keys: string[] = [];
  const lineCount = lineStarts(file).length;
  let pending: string[] = [];

  for (let line = 1; line <= lineCount; line++) {
    const text = lineText(file, line);
    const trimmed = text.trim();
    const match = MARKER.exec(text);
    const ids = match ? match[1].split(',').map((id) => id.trim()) : [];

    if (trimmed.startsWith('#') || trimmed === '') {
      if (match && trimmed.startsWith('#')) pending.push(...ids);
      continue;
    }

    for (const id of [...pending, ...ids]) keys.push(`${file.relPath}:${line}:${id}`);
    pending = [];
  }
  return keys;
}
