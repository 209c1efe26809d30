/** The kinds of file prodcheck reads; discovery assigns one to each file it keeps. */
export type FileKind =
  | 'python'
  | 'gunicorn-config'
  | 'dockerfile'
  | 'requirements'
  | 'pyproject'
  | 'yaml'
  | 'compose'
  | 'shell';

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be';

export type LineEnding = '\n' | '\r\n' | '\r';

/** A file of the checked system, decoded to text, with what is needed to write it back byte for byte. */
export interface SourceFile {
  /** Path relative to the system root, with `/` separators. */
  relPath: string;
  kind: FileKind;
  /** Decoded text without the byte order mark. */
  text: string;
  encoding: TextEncoding;
  bom: boolean;
  /** The line ending used by most lines, used when a fix inserts new lines. */
  eol: LineEnding;
  /** Offsets where each line starts, computed lazily by `lineStarts()`. */
  lineStartCache?: number[];
}

/** A 1-based line and column; columns count UTF-16 code units, as editors do. */
export interface Position {
  line: number;
  column: number;
}

/** A span of one file, as 0-based offsets into `SourceFile.text`. */
export interface Location {
  file: SourceFile;
  start: number;
  end: number;
}

export function createSourceFile(
  relPath: string,
  kind: FileKind,
  text: string,
  encoding: TextEncoding = 'utf8',
  bom = false,
): SourceFile {
  return { relPath, kind, text, encoding, bom, eol: detectLineEnding(text) };
}

/** Returns the most frequent line ending of `text`, `\n` when it has none. */
export function detectLineEnding(text: string): LineEnding {
  let crlf = 0;
  let lf = 0;
  let cr = 0;

  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else {
        cr++;
      }
    } else if (code === 10) {
      lf++;
    }
  }

  if (crlf > lf && crlf >= cr) return '\r\n';
  if (cr > lf && cr > crlf) return '\r';
  return '\n';
}

/** Returns the offset where each line of the file starts; `\r\n`, `\n` and a lone `\r` end lines. */
export function lineStarts(file: SourceFile): number[] {
  if (file.lineStartCache) return file.lineStartCache;

  const starts = [0];
  const text = file.text;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (code === 10) {
      starts.push(i + 1);
    }
  }
  file.lineStartCache = starts;
  return starts;
}

export function positionAt(file: SourceFile, offset: number): Position {
  const starts = lineStarts(file);
  const clamped = Math.max(0, Math.min(offset, file.text.length));
  let low = 0;
  let high = starts.length - 1;

  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= clamped) low = middle;
    else high = middle - 1;
  }

  return { line: low + 1, column: clamped - starts[low] + 1 };
}

/** Returns the offset of a 1-based line and column, clamped to the file. */
export function offsetAt(file: SourceFile, position: Position): number {
  const starts = lineStarts(file);
  const lineIndex = Math.max(0, Math.min(position.line - 1, starts.length - 1));
  return Math.min(starts[lineIndex] + Math.max(0, position.column - 1), file.text.length);
}

/** Returns the text of a 1-based line without its line ending. */
export function lineText(file: SourceFile, line: number): string {
  const starts = lineStarts(file);
  if (line < 1 || line > starts.length) return '';

  const start = starts[line - 1];
  const end = line < starts.length ? starts[line] : file.text.length;
  return file.text.slice(start, end).replace(/\r?\n$|\r$/, '');
}

export function locationOf(file: SourceFile, start: number, end: number): Location {
  return { file, start, end };
}

/** A location covering a whole 1-based line, without its line ending. */
export function lineLocation(file: SourceFile, line: number): Location {
  const start = offsetAt(file, { line, column: 1 });
  return { file, start, end: start + lineText(file, line).length };
}
