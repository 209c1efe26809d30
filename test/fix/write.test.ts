import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeBytes, encodeText } from '../../src/decode';
import { discoverSystem, readSystemFile } from '../../src/discovery';
import { fixSystem } from '../../src/fix/loop';
import { writeChanges } from '../../src/fix/write';
import { defineRule, type Rule } from '../../src/rule';
import { createSourceFile, type SourceFile } from '../../src/source';
import type { SystemInput } from '../../src/system';

function temporaryFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-write-'));
}

function inputFor(root: string): SystemInput {
  const discovered = discoverSystem(root);
  return { root, files: discovered.files, skipped: discovered.skipped, load: (relPath, kind) => readSystemFile(root, relPath, kind) };
}

/** A rule for these tests only: replaces `old` with the given text in every Python file. */
function replacingRule(replacement: string): Rule {
  return defineRule({
    meta: {
      id: 'test-replace-old',
      area: 'python',
      description: 'Test rule that replaces old',
      severity: 'error',
      fixable: 'safe',
      messages: { old: 'Found `old`.' },
      docs: { whatItDoes: 'x', whyItMatters: 'x', examples: { bad: {}, good: {} }, useInstead: 'x' },
    },
    check(model, context) {
      for (const file of model.files) {
        const index = file.text.indexOf('old');
        if (index < 0) continue;
        context.report({
          messageId: 'old',
          location: { file, start: index, end: index + 3 },
          fix: { title: 'Replace', safety: 'safe', edits: [{ file: file.relPath, start: index, end: index + 3, text: replacement }] },
        });
      }
    },
  });
}

function fixFolder(root: string, replacement: string) {
  return fixSystem(inputFor(root), { rules: [replacingRule(replacement)], unsafe: false, existsOnDisk: (relPath) => fs.existsSync(path.join(root, relPath)) });
}

describe('writeChanges', () => {
  test('keeps BOM, UTF-16 and CRLF', () => {
    const root = temporaryFolder();
    const file = path.join(root, 'main.py');
    fs.writeFileSync(file, encodeText('x = """old"""\r\ny = 1\r\n', 'utf16le', true));
    const outcome = fixFolder(root, 'new\nline');
    const result = writeChanges(root, outcome.changes);

    expect(result.failed).toEqual([]);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const decoded = decodeBytes(bytes);
    expect(decoded.ok && decoded.value.text).toBe('x = """new\r\nline"""\r\ny = 1\r\n');
  });

  test('keeps file mode', () => {
    const root = temporaryFolder();
    const file = path.join(root, 'main.py');
    fs.writeFileSync(file, 'x = "old"\n');
    fs.chmodSync(file, 0o754);
    writeChanges(root, fixFolder(root, 'new').changes);

    expect(fs.statSync(file).mode & 0o777).toBe(0o754);
    expect(fs.readFileSync(file, 'utf8')).toBe('x = "new"\n');
  });

  test('file changed after reading is left alone', () => {
    const root = temporaryFolder();
    const file = path.join(root, 'main.py');
    fs.writeFileSync(file, 'x = "old"\n');
    const outcome = fixFolder(root, 'new');
    fs.writeFileSync(file, 'x = "edited meanwhile"\n');
    const result = writeChanges(root, outcome.changes);

    expect(result.failed).toEqual([{ relPath: 'main.py', reason: 'it changed on disk while prodcheck was running' }]);
    expect(fs.readFileSync(file, 'utf8')).toBe('x = "edited meanwhile"\n');
  });

  test('fix that breaks parsing is undone', () => {
    const root = temporaryFolder();
    fs.writeFileSync(path.join(root, 'main.py'), 'x = "old"\n');
    const outcome = fixFolder(root, 'new" +');

    expect(outcome.changes).toEqual([]);
    expect(outcome.failed[0].reason).toContain('no longer parses');
  });

  test('link out of the root is not written', () => {
    const outside = temporaryFolder();
    const root = temporaryFolder();
    const target = path.join(outside, 'main.py');
    fs.writeFileSync(target, 'x = "old"\n');
    fs.symlinkSync(target, path.join(root, 'main.py'));
    const original: SourceFile = createSourceFile('main.py', 'python', 'x = "old"\n');
    const result = writeChanges(root, [{ relPath: 'main.py', original, fixed: createSourceFile('main.py', 'python', 'x = "new"\n') }]);

    expect(result.failed[0].reason).toContain('outside the system folder');
    expect(fs.readFileSync(target, 'utf8')).toBe('x = "old"\n');
  });

  test('created file never replaces an existing one', () => {
    const root = temporaryFolder();
    fs.writeFileSync(path.join(root, 'gunicorn.conf.py'), 'workers = 2\n');
    const result = writeChanges(root, [{ relPath: 'gunicorn.conf.py', original: null, fixed: createSourceFile('gunicorn.conf.py', 'gunicorn-config', 'workers = 4\n') }]);

    expect(result.failed[0].reason).toContain('appeared while prodcheck was running');
    expect(fs.readFileSync(path.join(root, 'gunicorn.conf.py'), 'utf8')).toBe('workers = 2\n');
  });

  test('unwritable folder leaves no temporary file', () => {
    if (process.getuid?.() === 0) return; // root writes into read-only folders, so the case cannot be produced.
    const root = temporaryFolder();
    const file = path.join(root, 'main.py');
    fs.writeFileSync(file, 'x = "old"\n');
    const outcome = fixFolder(root, 'new');
    fs.chmodSync(root, 0o555);
    const result = writeChanges(root, outcome.changes);
    fs.chmodSync(root, 0o755);

    expect(result.failed[0].reason).toContain('could not be written');
    expect(fs.readdirSync(root)).toEqual(['main.py']);
  });

  test('no temporary files remain', () => {
    const root = temporaryFolder();
    fs.writeFileSync(path.join(root, 'main.py'), 'x = "old"\n');
    writeChanges(root, fixFolder(root, 'new').changes);
    expect(fs.readdirSync(root)).toEqual(['main.py']);
  });
});
