import { digest, hashLine, normalizeLine, OccurrenceCounter, TextLines } from '../../src/report/fingerprint';

describe('text lines', () => {
  const lines = new TextLines('one\r\ntwo\nthree\rfour\n');

  test('line endings', () => {
    expect(lines.count).toBe(5);
    expect([1, 2, 3, 4, 5].map((line) => lines.line(line))).toEqual(['one', 'two', 'three', 'four', '']);
  });

  test('outside the text', () => {
    expect(lines.line(0)).toBe('');
    expect(lines.line(6)).toBe('');
  });

  test.each([
    [0, 1, 1],
    [3, 1, 4],
    [5, 2, 1],
    [9, 3, 1],
    [15, 4, 1],
    [20, 5, 1],
    [99, 5, 1],
  ])('offset %i is %i:%i', (offset, line, column) => {
    expect(lines.position(offset)).toEqual({ line, column });
  });

  test('line range', () => {
    expect(lines.lines(1, 2)).toBe('one\r\ntwo');
    expect(lines.lines(3, 3)).toBe('three');
    expect(lines.lines(4, 9)).toBe('four\n');
  });
});

describe('line hash', () => {
  test('whitespace ignored', () => {
    expect(normalizeLine('  app.run( debug = True )\t')).toBe('app.run(debug=True)');
    expect(hashLine('x = 1')).toBe(hashLine('    x=1  '));
  });

  test('content matters', () => {
    expect(hashLine('x = 1')).not.toBe(hashLine('x = 2'));
    expect(hashLine('x = 1')).toMatch(/^[0-9a-f]{16}$/);
  });

  test('occurrences of repeated lines', () => {
    const lines = new TextLines('a\nb\n  a\n');

    expect(lines.lineHash(1)).toBe(`${hashLine('a')}:1`);
    expect(lines.lineHash(2)).toBe(`${hashLine('b')}:1`);
    expect(lines.lineHash(3)).toBe(`${hashLine('a')}:2`);
  });

  test('stable when a line is added above', () => {
    const before = new TextLines('x = 1\ny = 2\n');
    const after = new TextLines('import os\nx = 1\ny = 2\n');

    expect(after.lineHash(3)).toBe(before.lineHash(2));
  });
});

describe('fingerprint helpers', () => {
  test('digest separates parts', () => {
    expect(digest(['ab', 'c'])).not.toBe(digest(['a', 'bc']));
    expect(digest(['a', 1])).toMatch(/^[0-9a-f]{64}$/);
  });

  test('occurrence counter', () => {
    const counter = new OccurrenceCounter();

    expect([counter.next('a'), counter.next('b'), counter.next('a'), counter.next('a')]).toEqual([1, 1, 2, 3]);
  });
});
