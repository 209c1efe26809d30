import { createHash } from 'node:crypto';
import type { Position } from '../source';
import type { CiFormatContext, CiSystem } from './context';

/**
 * The lines of one file's text, numbered as prodcheck numbers them (`\r\n`, `\n` and a lone `\r`
 * end a line), with a content hash per line for fingerprints that survive edits elsewhere.
 */
export class TextLines {
  readonly text: string;
  private readonly starts: number[];
  private lineHashes: string[] | null = null;

  constructor(text: string) {
    this.text = text;
    this.starts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (code === 13 || code === 10) this.starts.push(i + 1);
    }
  }

  get count(): number {
    return this.starts.length;
  }

  /** Returns the text of a 1-based line without its line ending, or '' past the end of the file. */
  line(line: number): string {
    if (line < 1 || line > this.starts.length) return '';

    const start = this.starts[line - 1];
    const end = line < this.starts.length ? this.starts[line] : this.text.length;
    return this.text.slice(start, end).replace(/\r?\n$|\r$/, '');
  }

  /** Returns the text from the start of one 1-based line to the end of another, without the last line ending. */
  lines(first: number, last: number): string {
    if (first < 1 || first > last || first > this.starts.length) return '';

    const lastLine = Math.min(last, this.starts.length);
    const start = this.starts[first - 1];
    const end = this.starts[lastLine - 1] + this.line(lastLine).length;
    return this.text.slice(start, end);
  }

  /** Returns the 1-based line and UTF-16 column of an offset, clamped to the text. */
  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - this.starts[low] + 1 };
  }

  /**
   * Returns `hash:occurrence` for a 1-based line: the hash of its content without whitespace, and
   * how many lines up to and including this one have that content. Adding, removing or
   * re-indenting other lines keeps it, unless they repeat this line's content above it. GitHub's
   * `primaryLocationLineHash` works the same way, though it hashes a window of the following
   * text too.
   */
  lineHash(line: number): string {
    if (!this.lineHashes) this.lineHashes = occurrenceHashes(this);
    return this.lineHashes[Math.max(0, Math.min(line, this.count) - 1)];
  }
}

/** Removes all whitespace, so that indentation, trailing blanks and spacing inside a line do not change its hash. */
export function normalizeLine(line: string): string {
  return line.replace(/\s+/gu, '');
}

/** Returns a 16-hex-digit SHA-256 prefix of a line's normalised content. */
export function hashLine(line: string): string {
  return createHash('sha256').update(normalizeLine(line), 'utf8').digest('hex').slice(0, 16);
}

/** Returns the SHA-256 hex digest of the parts joined by NUL, which none of the parts contains. */
export function digest(parts: ReadonlyArray<string | number>): string {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex');
}

/** Counts repeated keys: `next(key)` returns 1 the first time a key is seen, 2 the second time, and so on. */
export class OccurrenceCounter {
  private readonly counts = new Map<string, number>();

  next(key: string): number {
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count;
  }
}

/** Returns a lookup of file texts that splits each file into lines once, however many findings it has. */
export function createTextLookup(context: CiFormatContext): (system: CiSystem, file: string) => TextLines | undefined {
  const cache = new Map<CiSystem, Map<string, TextLines | undefined>>();

  return (system, file) => {
    let files = cache.get(system);
    if (!files) {
      files = new Map();
      cache.set(system, files);
    }
    if (!files.has(file)) {
      const text = context.fileText(system, file);
      files.set(file, text === undefined ? undefined : new TextLines(text));
    }
    return files.get(file);
  };
}

function occurrenceHashes(lines: TextLines): string[] {
  const counter = new OccurrenceCounter();
  const hashes: string[] = [];
  for (let line = 1; line <= lines.count; line++) {
    const hash = hashLine(lines.line(line));
    hashes.push(`${hash}:${counter.next(hash)}`);
  }
  return hashes;
}
