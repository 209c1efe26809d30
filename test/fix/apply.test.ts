import { applyEdits, applyFixPass, isSafeRelativePath, withLineEnding } from '../../src/fix/apply';
import type { Finding, Fix } from '../../src/rule';

function finding(ruleId: string, fix: Fix): Finding {
  return { ruleId, severity: 'error', message: '', file: 'a.py', line: 1, column: 1, endLine: 1, endColumn: 1, start: 0, end: 0, fix };
}

const texts = (files: Record<string, string>) => ({
  get: (relPath: string) => (relPath in files ? { text: files[relPath], eol: '\n' as const } : undefined),
});

describe('applyEdits', () => {
  test('applies from the end', () => {
    const result = applyEdits('abcdef', [
      { file: 'a', start: 1, end: 2, text: 'X' },
      { file: 'a', start: 4, end: 4, text: 'Y' },
    ], '\n');
    expect(result).toBe('aXcdYef');
  });

  test('inserted lines follow CRLF', () => {
    expect(applyEdits('a\r\nb\r\n', [{ file: 'a', start: 3, end: 3, text: 'x\ny\n' }], '\r\n')).toBe('a\r\nx\r\ny\r\nb\r\n');
  });

  test('line ending conversion', () => {
    expect(withLineEnding('a\r\nb\nc', '\n')).toBe('a\nb\nc');
    expect(withLineEnding('a\nb', '\r')).toBe('a\rb');
  });
});

describe('applyFixPass', () => {
  test('overlapping fix deferred', () => {
    const first = finding('one', { title: 'one', safety: 'safe', edits: [{ file: 'a.py', start: 0, end: 3, text: 'xyz' }] });
    const second = finding('two', { title: 'two', safety: 'safe', edits: [{ file: 'a.py', start: 2, end: 4, text: 'q' }] });
    const pass = applyFixPass([first, second], texts({ 'a.py': 'abcdef' }), () => false);
    expect(pass.applied).toEqual([first]);
    expect(pass.deferred).toEqual([second]);
    expect(pass.changed.get('a.py')).toBe('xyzdef');
  });

  test('two inserts at one offset conflict', () => {
    const first = finding('one', { title: 'one', safety: 'safe', edits: [{ file: 'a.py', start: 1, end: 1, text: 'x' }] });
    const second = finding('two', { title: 'two', safety: 'safe', edits: [{ file: 'a.py', start: 1, end: 1, text: 'y' }] });
    const pass = applyFixPass([first, second], texts({ 'a.py': 'ab' }), () => false);
    expect(pass.changed.get('a.py')).toBe('axb');
    expect(pass.deferred).toEqual([second]);
  });

  test('multi-file fix all or nothing', () => {
    const blocker = finding('one', { title: 'one', safety: 'safe', edits: [{ file: 'b.py', start: 0, end: 1, text: 'B' }] });
    const both = finding('two', {
      title: 'two',
      safety: 'safe',
      edits: [
        { file: 'a.py', start: 0, end: 1, text: 'A' },
        { file: 'b.py', start: 0, end: 1, text: 'C' },
      ],
    });
    const pass = applyFixPass([blocker, both], texts({ 'a.py': 'a', 'b.py': 'b' }), () => false);
    expect(pass.changed.has('a.py')).toBe(false);
    expect(pass.changed.get('b.py')).toBe('B');
  });

  test('new file over existing rejected', () => {
    const create = finding('one', { title: 'one', safety: 'safe', edits: [], newFiles: [{ file: 'gunicorn.conf.py', content: 'x = 1\n' }] });
    const pass = applyFixPass([create], texts({}), (relPath) => relPath === 'gunicorn.conf.py');
    expect(pass.created.size).toBe(0);
    expect(pass.rejected[0].reason).toContain('already exists');
  });

  test('path outside root rejected', () => {
    const create = finding('one', { title: 'one', safety: 'safe', edits: [], newFiles: [{ file: '../evil.py', content: '' }] });
    const pass = applyFixPass([create], texts({}), () => false);
    expect(pass.rejected[0].reason).toContain('outside the system folder');
  });

  test('out of range edit rejected', () => {
    const bad = finding('one', { title: 'one', safety: 'safe', edits: [{ file: 'a.py', start: 5, end: 9, text: '' }] });
    expect(applyFixPass([bad], texts({ 'a.py': 'ab' }), () => false).rejected).toHaveLength(1);
  });
});

describe('isSafeRelativePath', () => {
  test.each(['main.py', 'app/health.py'])('accepts %s', (relPath) => {
    expect(isSafeRelativePath(relPath)).toBe(true);
  });

  test.each(['', '/etc/passwd', '../x', 'a/../../x', 'a//b', 'C:/x', 'a\\b', './x'])('rejects %s', (relPath) => {
    expect(isSafeRelativePath(relPath)).toBe(false);
  });
});

describe('insertions next to replaced ranges', () => {
  test('insert at end of replaced range deferred', () => {
    const replace = finding('one', { title: 'one', safety: 'safe', edits: [{ file: 'a.py', start: 0, end: 2, text: 'XY' }] });
    const insert = finding('two', { title: 'two', safety: 'safe', edits: [{ file: 'a.py', start: 2, end: 2, text: '!' }] });
    const pass = applyFixPass([replace, insert], texts({ 'a.py': 'abcd' }), () => false);
    expect(pass.applied).toEqual([replace]);
    expect(pass.deferred).toEqual([insert]);
  });

  test('insert before replaced range deferred', () => {
    const insert = finding('one', { title: 'one', safety: 'safe', edits: [{ file: 'a.py', start: 1, end: 1, text: '!' }] });
    const replace = finding('two', { title: 'two', safety: 'safe', edits: [{ file: 'a.py', start: 1, end: 3, text: 'XY' }] });
    const pass = applyFixPass([insert, replace], texts({ 'a.py': 'abcd' }), () => false);
    expect(pass.deferred).toEqual([replace]);
  });
});
