/** Python's tab size, and the tab size of its second reading that catches indentation that only agrees at one of them. */
const TAB_SIZE = 8;
const ALTERNATE_TAB_SIZE = 1;

/** An indentation error: the 0-based offset of the first line Python stops at, and why it stops. */
export interface IndentationProblem {
  offset: number;
  /**
   * The error: `tab` when the line's depth depends on the width of a tab (TabError), `dedent` when
   * the line is shallower than its block but matches no enclosing level (IndentationError).
   */
  kind: 'tab' | 'dedent';
}

/**
 * Finds the first logical line whose indentation Python's tokenizer rejects, reading the source
 * as the tokenizer does. Each indentation is measured with tabs of 8 columns and of 1 column. A
 * line must be deeper, level or shallower than the enclosing levels in both measures, else it is a
 * TabError. A shallower line must match an enclosing level, else it is an IndentationError. Lines
 * inside brackets, strings and backslash continuations, and blank or comment-only lines, do not count.
 * Returns null when the indentation is consistent.
 */
export function findIndentationError(text: string): IndentationProblem | null {
  const levels: Array<[number, number]> = [[0, 0]];
  let depth = 0;
  let quote: string | null = null;
  let continued = false;
  let index = 0;

  while (index < text.length) {
    const lineStart = index;
    const startsLogicalLine = depth === 0 && quote === null && !continued;
    continued = false;

    let column = 0;
    let alternate = 0;
    while (index < text.length && (text[index] === ' ' || text[index] === '\t' || text[index] === '\f')) {
      const char = text[index];
      if (char === ' ') {
        column++;
        alternate++;
      } else if (char === '\t') {
        column = (Math.floor(column / TAB_SIZE) + 1) * TAB_SIZE;
        alternate = (Math.floor(alternate / ALTERNATE_TAB_SIZE) + 1) * ALTERNATE_TAB_SIZE;
      } else {
        column = 0;
        alternate = 0;
      }
      index++;
    }

    const blank = index >= text.length || text[index] === '\n' || text[index] === '\r' || text[index] === '#';
    const kind = startsLogicalLine && !blank ? checkLevels(levels, column, alternate) : null;
    if (kind) return { offset: lineStart, kind };

    // Reads the rest of the line for brackets, strings, comments and a final backslash.
    while (index < text.length && text[index] !== '\n' && text[index] !== '\r') {
      const char = text[index];
      if (quote !== null) {
        if (char === '\\') {
          index += 2;
          continue;
        }
        if (text.startsWith(quote, index)) {
          index += quote.length;
          quote = null;
          continue;
        }
        index++;
        continue;
      }

      if (char === '#') {
        while (index < text.length && text[index] !== '\n' && text[index] !== '\r') index++;
        break;
      }
      if (char === '"' || char === "'") {
        quote = text.startsWith(char.repeat(3), index) ? char.repeat(3) : char;
        index += quote.length;
        continue;
      }
      if (char === '(' || char === '[' || char === '{') depth++;
      else if ((char === ')' || char === ']' || char === '}') && depth > 0) depth--;
      else if (char === '\\' && (text[index + 1] === '\n' || text[index + 1] === '\r')) continued = true;
      index++;
    }

    // A one-quote string ends at the end of its line unless a backslash continues it.
    if (quote !== null && quote.length === 1 && text[index - 1] !== '\\') quote = null;
    if (text[index] === '\r' && text[index + 1] === '\n') index++;
    index++;
  }
  return null;
}

/** Checks one logical line's indentation against the open levels, opening or closing levels as Python does; returns the error, or null. */
function checkLevels(levels: Array<[number, number]>, column: number, alternate: number): IndentationProblem['kind'] | null {
  const [top, topAlternate] = levels[levels.length - 1];
  if (column === top) return alternate === topAlternate ? null : 'tab';
  if (column > top) {
    if (alternate <= topAlternate) return 'tab';
    levels.push([column, alternate]);
    return null;
  }

  while (levels.length > 1 && column < levels[levels.length - 1][0]) levels.pop();
  const [level, levelAlternate] = levels[levels.length - 1];
  if (column !== level) return 'dedent';
  return alternate === levelAlternate ? null : 'tab';
}
