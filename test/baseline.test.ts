import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BaselineMatcher, formatBaseline, readBaseline, type BaselineEntry } from '../src/baseline';
import { NO_COLORS } from '../src/report/colors';
import type { ReportedFinding } from '../src/report/stylish';
import { run } from '../src/run';

const ROOT = path.join(__dirname, '..');

function temporaryFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-baseline-'));
}

function finding(ruleId: string, file: string, line: number, lineHash: string, extra: Partial<ReportedFinding> = {}): ReportedFinding {
  return { ruleId, severity: 'error', message: `${ruleId} at ${line}`, file, line, column: 1, endLine: line, endColumn: 2, start: 0, end: 1, lineHash, ...extra };
}

function entry(ruleId: string, entryPath: string, lineHash: string, occurrence = 1): BaselineEntry {
  return { ruleId, path: entryPath, lineHash, occurrence };
}

describe('baseline file', () => {
  test('sorted, one entry per line', () => {
    const text = formatBaseline([entry('b-rule', 'svc/main.py', 'ff'), entry('a-rule', 'svc/main.py', 'aa', 2), entry('a-rule', 'svc/main.py', 'aa', 1), entry('z-rule', 'Dockerfile', '00')]);
    expect(text).toBe(
      [
        '{',
        '  "version": 1,',
        '  "findings": [',
        '    {"ruleId":"z-rule","path":"Dockerfile","lineHash":"00","occurrence":1},',
        '    {"ruleId":"a-rule","path":"svc/main.py","lineHash":"aa","occurrence":1},',
        '    {"ruleId":"a-rule","path":"svc/main.py","lineHash":"aa","occurrence":2},',
        '    {"ruleId":"b-rule","path":"svc/main.py","lineHash":"ff","occurrence":1}',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('empty baseline', () => {
    expect(formatBaseline([])).toBe('{\n  "version": 1,\n  "findings": []\n}\n');
  });

  test('round trip', () => {
    const folder = temporaryFolder();
    const file = path.join(folder, 'baseline.json');
    const entries = [entry('a-rule', 'main.py', 'aa'), entry('b-rule', 'Dockerfile', 'bb', 3)];
    fs.writeFileSync(file, formatBaseline(entries));
    expect(readBaseline(file, 'baseline.json')).toEqual({ entries: [entries[1], entries[0]] });
  });

  test.each([
    ['missing', null, /the baseline `baseline.json` cannot be read: no such file\. Create it with `--update-baseline`\./],
    ['not JSON', '{"version": 1,', /is not valid JSON/],
    ['not an object', '[]', /is not a prodcheck baseline: the file must hold a JSON object/],
    ['other version', '{"version": 2, "findings": []}', /`version` is 2, but this prodcheck reads version 1/],
    ['findings not a list', '{"version": 1, "findings": {}}', /`findings` must be an array/],
    ['bad entry', '{"version": 1, "findings": [{"ruleId": "a", "path": "b", "lineHash": "c", "occurrence": 0}]}', /entry 1 of `findings` needs/],
    ['entry not an object', '{"version": 1, "findings": [null]}', /entry 1 of `findings` needs/],
  ])('%s rejected', (_name, text, message) => {
    const folder = temporaryFolder();
    const file = path.join(folder, 'baseline.json');
    if (text !== null) fs.writeFileSync(file, text);
    const read = readBaseline(file, 'baseline.json');
    expect(read).toEqual({ error: expect.stringMatching(message) });
  });
});

describe('BaselineMatcher', () => {
  const folder = '/repo';
  const root = '/repo/svc';

  test('listed findings suppressed, new ones kept', () => {
    const matcher = new BaselineMatcher('/repo/baseline.json', 'baseline.json', [entry('python-secret-literal', 'svc/main.py', 'aa')], false);
    const marked = matcher.mark(root, [finding('python-secret-literal', 'main.py', 3, 'aa'), finding('python-secret-literal', 'main.py', 9, 'bb')], null);

    expect(marked[0].suppression).toEqual({ kind: 'external' });
    expect(marked[1].suppression).toBeUndefined();
    expect(matcher.finish()).toEqual({ note: '' });
  });

  test('second finding of the same rule and line counted by occurrence', () => {
    const matcher = new BaselineMatcher(`${folder}/baseline.json`, 'baseline.json', [entry('python-secret-literal', 'svc/main.py', 'aa', 1)], false);
    const marked = matcher.mark(root, [finding('python-secret-literal', 'main.py', 3, 'aa'), finding('python-secret-literal', 'main.py', 7, 'aa')], null);

    expect(marked.map((item) => item.suppression?.kind ?? 'reported')).toEqual(['external', 'reported']);
  });

  test('fixing one and adding another of the same rule caught', () => {
    const baseline = [entry('python-secret-literal', 'svc/main.py', 'aa'), entry('python-secret-literal', 'svc/main.py', 'bb')];
    const matcher = new BaselineMatcher(`${folder}/baseline.json`, 'baseline.json', baseline, false);
    const marked = matcher.mark(root, [finding('python-secret-literal', 'main.py', 3, 'aa'), finding('python-secret-literal', 'main.py', 9, 'cc')], null);

    expect(marked.map((item) => item.suppression?.kind ?? 'reported')).toEqual(['external', 'reported']);
    expect(matcher.finish()).toEqual({ note: 'prodcheck: 1 baseline entry no longer matches; run with --update-baseline to drop it.\n' });
  });

  test('inline suppressed findings left alone', () => {
    const matcher = new BaselineMatcher(`${folder}/baseline.json`, 'baseline.json', [entry('python-secret-literal', 'svc/main.py', 'aa')], false);
    const inline = finding('python-secret-literal', 'main.py', 3, 'aa', { suppression: { kind: 'inSource', justification: 'test' } });
    const marked = matcher.mark(root, [inline], null);

    expect(marked[0].suppression).toEqual({ kind: 'inSource', justification: 'test' });
    expect(matcher.finish()).toEqual({ note: 'prodcheck: 1 baseline entry no longer matches; run with --update-baseline to drop it.\n' });
  });

  test('stale entries counted only in checked systems', () => {
    const baseline = [entry('a-rule', 'svc/main.py', 'aa'), entry('a-rule', 'svc/gone.py', 'aa'), entry('a-rule', 'other/main.py', 'aa'), entry('b-rule', 'svc/main.py', 'aa')];
    const matcher = new BaselineMatcher(`${folder}/baseline.json`, 'baseline.json', baseline, false);
    matcher.mark(root, [finding('a-rule', 'main.py', 1, 'aa')], null);

    expect(matcher.finish()).toEqual({ note: 'prodcheck: 2 baseline entries no longer match; run with --update-baseline to drop them.\n' });
  });

  test('named files: only their entries counted', () => {
    const baseline = [entry('a-rule', 'svc/main.py', 'aa'), entry('a-rule', 'svc/store.py', 'aa')];
    const matcher = new BaselineMatcher(`${folder}/baseline.json`, 'baseline.json', baseline, false);
    matcher.mark(root, [], new Set(['/repo/svc/main.py']));

    expect(matcher.finish()).toEqual({ note: 'prodcheck: 1 baseline entry no longer matches; run with --update-baseline to drop it.\n' });
  });

  test('update writes current findings and keeps unchecked entries', () => {
    const base = temporaryFolder();
    const file = path.join(base, 'baseline.json');
    const old = [entry('a-rule', 'other/main.py', 'aa'), entry('a-rule', 'svc/old.py', 'aa')];
    const matcher = new BaselineMatcher(file, 'baseline.json', old, true);
    const marked = matcher.mark(path.join(base, 'svc'), [finding('b-rule', 'main.py', 2, 'bb'), finding('b-rule', 'main.py', 4, 'bb')], null);

    expect(marked.every((item) => item.suppression?.kind === 'external')).toBe(true);
    expect(matcher.finish()).toEqual({ note: 'prodcheck: wrote 3 entries to the baseline `baseline.json`.\n' });
    expect(readBaseline(file, 'baseline.json')).toEqual({ entries: [entry('a-rule', 'other/main.py', 'aa'), entry('b-rule', 'svc/main.py', 'bb', 1), entry('b-rule', 'svc/main.py', 'bb', 2)] });
    expect(fs.readdirSync(base)).toEqual(['baseline.json']);
  });

  test('unwritable baseline reported', () => {
    const matcher = new BaselineMatcher('/nonexistent-folder/baseline.json', 'baseline.json', [], true);
    matcher.mark('/nonexistent-folder/svc', [finding('a-rule', 'main.py', 1, 'aa')], null);
    expect(matcher.finish()).toEqual({ error: 'prodcheck: the baseline `baseline.json` cannot be written: no such file.\n' });
  });
});

describe('baseline in a run', () => {
  function service(): string {
    const folder = temporaryFolder();
    fs.cpSync(path.join(ROOT, 'fixtures', 'dev-server'), path.join(folder, 'svc'), { recursive: true });
    return folder;
  }

  function check(folder: string, options: { baseline?: string; updateBaseline?: boolean } = {}) {
    return run({ targets: ['svc'], cwd: folder, format: 'stylish', colors: NO_COLORS, jobs: 1, ...options });
  }

  test('update, then nothing new', () => {
    const folder = service();
    const before = check(folder);
    expect(before.exitCode).toBe(1);

    const updated = check(folder, { baseline: 'baseline.json', updateBaseline: true });
    expect(updated.exitCode).toBe(0);
    expect(updated.stderr).toMatch(/^prodcheck: wrote \d+ entries to the baseline `baseline.json`\.\n$/);
    const written = readBaseline(path.join(folder, 'baseline.json'), 'baseline.json');
    expect(written).toEqual({ entries: expect.any(Array) });
    expect((written as { entries: unknown[] }).entries.length).toBeGreaterThan(10);

    const after = check(folder, { baseline: 'baseline.json' });
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toContain('No problems found.');
    expect(after.stderr).toBe('');
  });

  test('new finding of the same rule in the same file reported', () => {
    const folder = service();
    check(folder, { baseline: 'baseline.json', updateBaseline: true });
    const main = path.join(folder, 'svc', 'main.py');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('"inventory-secret-key-2024"', '"another-secret-key-2025"'));

    const result = check(folder, { baseline: 'baseline.json' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/svc\/main\.py\n\s+\d+:\d+\s+error\s+.*python-secret-literal\n\n/);
    expect(result.stderr).toBe('prodcheck: 1 baseline entry no longer matches; run with --update-baseline to drop it.\n');
  });

  test('lines added above keep findings matched', () => {
    const folder = service();
    check(folder, { baseline: 'baseline.json', updateBaseline: true });
    const main = path.join(folder, 'svc', 'main.py');
    fs.writeFileSync(main, `# A comment added above every finding.\n\n${fs.readFileSync(main, 'utf8')}`);

    const result = check(folder, { baseline: 'baseline.json' });
    expect(result.stdout).toContain('No problems found.');
    expect(result.exitCode).toBe(0);
  });

  test('missing baseline is a usage error', () => {
    const folder = service();
    const result = check(folder, { baseline: 'missing.json' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('prodcheck: the baseline `missing.json` cannot be read: no such file. Create it with `--update-baseline`.\n');
    expect(result.stdout).toBe('');
  });

  test('update without a file is a usage error', () => {
    const result = check(service(), { updateBaseline: true });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('prodcheck: --update-baseline needs --baseline FILE, the file to write.\n');
  });
});
