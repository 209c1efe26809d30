import { findRule } from '../rules';
import { checkSystem, type CheckOptions } from '../src/engine';
import { fixSystem } from '../src/fix/loop';
import type { Finding } from '../src/rule';
import { createSourceFile, type FileKind } from '../src/source';
import { applySuppressions } from '../src/suppressions';
import { systemFromMemory } from '../src/system';

const RULES = new Set(['flask-debug-enabled', 'python-secret-literal', 'dockerfile-user-root']);

function at(file: string, line: number, ruleId: string): Finding {
  return { ruleId, severity: 'error', message: '', file, line, column: 1, endLine: line, endColumn: 2, start: 0, end: 1 };
}

function source(relPath: string, kind: FileKind, text: string) {
  return createSourceFile(relPath, kind, text);
}

describe('suppressions', () => {
  test('trailing comment silences its line', () => {
    const file = source('main.py', 'python', 'x = 1\napp.debug = True  # prodcheck: ignore[flask-debug-enabled] -- local tool only\n');
    const result = applySuppressions([at('main.py', 2, 'flask-debug-enabled')], [file], RULES);
    expect(result.kept).toEqual([]);
    expect(result.suppressed).toEqual([{ finding: at('main.py', 2, 'flask-debug-enabled'), justification: 'local tool only' }]);
    expect(result.problems).toEqual([]);
  });

  test('own-line comment silences next statement', () => {
    const file = source('Dockerfile', 'dockerfile', 'FROM python:3.12-slim\n# prodcheck: ignore[dockerfile-user-root] -- the init system drops privileges\n\n# another comment\nUSER root\n');
    const result = applySuppressions([at('Dockerfile', 5, 'dockerfile-user-root')], [file], RULES);
    expect(result.kept).toEqual([]);
  });

  test('file-level comment', () => {
    const file = source('seed.py', 'python', '# prodcheck: ignore-file[python-secret-literal] -- test data\nA_PASSWORD = "x"\nB_PASSWORD = "y"\n');
    const result = applySuppressions([at('seed.py', 2, 'python-secret-literal'), at('seed.py', 3, 'python-secret-literal')], [file], RULES);
    expect(result.suppressed).toHaveLength(2);
  });

  test('other rules not silenced', () => {
    const file = source('main.py', 'python', 'app.debug = True  # prodcheck: ignore[python-secret-literal]\n');
    const result = applySuppressions([at('main.py', 1, 'flask-debug-enabled'), at('main.py', 1, 'python-secret-literal')], [file], RULES);
    expect(result.kept.map((finding) => finding.ruleId)).toEqual(['flask-debug-enabled']);
  });

  test.each([
    ['no brackets', 'x = 1  # prodcheck: ignore\n', /write `# prodcheck: ignore\[rule-id\]/],
    ['unknown rule', 'x = 1  # prodcheck: ignore[no-such-rule]\n', /`no-such-rule` is not a rule id/],
    ['empty list', 'x = 1  # prodcheck: ignore[]\n', /name at least one rule id/],
  ])('malformed %s reported', (_name, text, message) => {
    const result = applySuppressions([at('main.py', 1, 'flask-debug-enabled')], [source('main.py', 'python', text)], RULES);
    expect(result.kept).toHaveLength(1);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ ruleId: 'suppression-invalid', line: 1, column: 8 });
    expect(result.problems[0].message).toMatch(message);
  });

  test('unused suppression reported with fix', () => {
    const text = 'x = 1  # prodcheck: ignore[flask-debug-enabled]\n# prodcheck: ignore[python-secret-literal]\ny = 2\n';
    const result = applySuppressions([], [source('main.py', 'python', text)], RULES);
    expect(result.problems.map((problem) => `${problem.ruleId}:${problem.line}`)).toEqual(['suppression-unused:1', 'suppression-unused:2']);
    expect(result.problems[0].fix?.edits).toEqual([{ file: 'main.py', start: 5, end: 47, text: '' }]);
    expect(result.problems[1].fix?.edits).toEqual([{ file: 'main.py', start: 48, end: 91, text: '' }]);
  });

  test('reason required', () => {
    const file = source('main.py', 'python', 'app.debug = True  # prodcheck: ignore[flask-debug-enabled]\n');
    const result = applySuppressions([at('main.py', 1, 'flask-debug-enabled')], [file], RULES, { requireReason: true });
    expect(result.problems.map((problem) => problem.ruleId)).toEqual(['suppression-invalid']);
  });

  test('hash inside string is not a comment', () => {
    const file = source('main.py', 'python', 'x = "# prodcheck: ignore[flask-debug-enabled]"\n');
    const result = applySuppressions([at('main.py', 1, 'flask-debug-enabled')], [file], RULES);
    expect(result.kept).toHaveLength(1);
    expect(result.problems).toEqual([]);
  });

  test('requirements trailing comment needs whitespace', () => {
    const file = source('requirements.txt', 'requirements', 'flask  # prodcheck: ignore[python-secret-literal] -- pinned by the platform\n');
    const result = applySuppressions([at('requirements.txt', 1, 'python-secret-literal')], [file], RULES);
    expect(result.kept).toEqual([]);
  });
});

/** A system where each file kind has one finding of a known rule on a known line. */
const SYSTEM: Record<string, string> = {
  'main.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SECRET_KEY"] = "hardcoded-secret-value-1234"\n',
  'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nreload = True\n',
  Dockerfile: 'FROM python:3.12-slim\nUSER root\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
  'requirements.txt': 'flask\ngunicorn==23.0.0\n',
  'config/production.yaml': 'database:\n  password: hunter2-secret-pw\ndebug: true\n',
};

/** Checks SYSTEM with some files replaced, and returns `file:line rule` for reported and for suppressed findings. */
function checkWith(changes: Record<string, string>, options: CheckOptions = {}) {
  const result = checkSystem(systemFromMemory({ ...SYSTEM, ...changes }), options);
  return {
    reported: result.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`),
    suppressed: result.suppressed.map(({ finding, justification }) => `${finding.file}:${finding.line} ${finding.ruleId} (${justification})`),
    findings: result.findings,
  };
}

describe('suppressions in the engine', () => {
  test('nothing suppressed without comments', () => {
    const { reported, suppressed } = checkWith({});
    expect(reported).toEqual(expect.arrayContaining(['main.py:4 python-secret-literal', 'gunicorn.conf.py:2 gunicorn-reload-enabled', 'Dockerfile:2 dockerfile-user-root', 'requirements.txt:1 requirements-unpinned', 'config/production.yaml:2 config-secret-literal']));
    expect(suppressed).toEqual([]);
  });

  test.each([
    ['python trailing', 'main.py', 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SECRET_KEY"] = "hardcoded-secret-value-1234"  # prodcheck: ignore[python-secret-literal] -- test key\n', 'main.py:4 python-secret-literal (test key)'],
    ['python own line', 'main.py', 'from flask import Flask\n\napp = Flask(__name__)\n# prodcheck: ignore[python-secret-literal] -- test key\n\n# another comment\napp.config["SECRET_KEY"] = "hardcoded-secret-value-1234"\n', 'main.py:7 python-secret-literal (test key)'],
    ['python file level', 'main.py', '# prodcheck: ignore-file[python-secret-literal]\nfrom flask import Flask\n\napp = Flask(__name__)\napp.config["SECRET_KEY"] = "hardcoded-secret-value-1234"\n', 'main.py:5 python-secret-literal (null)'],
    ['gunicorn trailing', 'gunicorn.conf.py', 'bind = "0.0.0.0:8000"\nreload = True  # prodcheck: ignore[gunicorn-reload-enabled] -- staging only\n', 'gunicorn.conf.py:2 gunicorn-reload-enabled (staging only)'],
    ['gunicorn own line', 'gunicorn.conf.py', 'bind = "0.0.0.0:8000"\n# prodcheck: ignore[gunicorn-reload-enabled] -- staging only\nreload = True\n', 'gunicorn.conf.py:3 gunicorn-reload-enabled (staging only)'],
    ['gunicorn file level', 'gunicorn.conf.py', 'bind = "0.0.0.0:8000"\nreload = True\n# prodcheck: ignore-file[gunicorn-reload-enabled] -- staging only\n', 'gunicorn.conf.py:2 gunicorn-reload-enabled (staging only)'],
    ['dockerfile own line', 'Dockerfile', 'FROM python:3.12-slim\n# prodcheck: ignore[dockerfile-user-root] -- gosu drops privileges\nUSER root\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n', 'Dockerfile:3 dockerfile-user-root (gosu drops privileges)'],
    ['dockerfile file level', 'Dockerfile', '# prodcheck: ignore-file[dockerfile-user-root]\nFROM python:3.12-slim\nUSER root\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n', 'Dockerfile:3 dockerfile-user-root (null)'],
    ['requirements trailing', 'requirements.txt', 'flask  # prodcheck: ignore[requirements-unpinned] -- the platform pins it\ngunicorn==23.0.0\n', 'requirements.txt:1 requirements-unpinned (the platform pins it)'],
    ['requirements own line', 'requirements.txt', '# prodcheck: ignore[requirements-unpinned] -- the platform pins it\nflask\ngunicorn==23.0.0\n', 'requirements.txt:2 requirements-unpinned (the platform pins it)'],
    ['requirements file level', 'requirements.txt', 'flask\ngunicorn==23.0.0\n# prodcheck: ignore-file[requirements-unpinned]\n', 'requirements.txt:1 requirements-unpinned (null)'],
    ['yaml trailing', 'config/production.yaml', 'database:\n  password: hunter2-secret-pw  # prodcheck: ignore[config-secret-literal] -- local database\ndebug: true\n', 'config/production.yaml:2 config-secret-literal (local database)'],
    ['yaml own line', 'config/production.yaml', 'database:\n  # prodcheck: ignore[config-secret-literal] -- local database\n  password: hunter2-secret-pw\ndebug: true\n', 'config/production.yaml:3 config-secret-literal (local database)'],
    ['yaml file level', 'config/production.yaml', '# prodcheck: ignore-file[config-secret-literal]\ndatabase:\n  password: hunter2-secret-pw\ndebug: true\n', 'config/production.yaml:3 config-secret-literal (null)'],
  ])('%s suppresses', (_name, file, text, expected) => {
    const { reported, suppressed } = checkWith({ [file]: text });
    expect(suppressed).toEqual([expected]);
    expect(reported.filter((entry) => entry.startsWith(`${file}:`) && /suppression-/.test(entry))).toEqual([]);
    const [location, ruleId] = expected.split(' ');
    expect(reported).not.toContain(`${location} ${ruleId}`);
  });

  test('Dockerfile trailing comment ignored', () => {
    const { reported, suppressed } = checkWith({ Dockerfile: 'FROM python:3.12-slim\nUSER root # prodcheck: ignore[dockerfile-user-root]\nCMD ["gunicorn", "main:app"]\n' });
    expect(suppressed).toEqual([]);
    expect(reported.filter((entry) => entry.includes('suppression-'))).toEqual([]);
    // Docker reads `root # prodcheck: ...` as the user name, so a finding stays on the line.
    expect(reported.filter((entry) => entry.startsWith('Dockerfile:2 '))).not.toEqual([]);
  });

  test('other rule on the line still reported', () => {
    const { reported, suppressed } = checkWith({ 'config/production.yaml': 'database:\n  password: hunter2-secret-pw\ndebug: true  # prodcheck: ignore[config-secret-literal]\n' });
    expect(suppressed).toEqual([]);
    expect(reported).toEqual(expect.arrayContaining(['config/production.yaml:2 config-secret-literal', 'config/production.yaml:3 config-debug-enabled', 'config/production.yaml:3 suppression-unused']));
  });

  test.each([
    ['python', 'main.py', 'x = 1  # prodcheck: ignore\n'],
    ['dockerfile', 'Dockerfile', 'FROM python:3.12-slim\n# prodcheck: ignore[dockerfile-user-rot]\nUSER root\n'],
    ['requirements', 'requirements.txt', 'flask==3.0.3  # prodcheck: ignore[]\n'],
    ['yaml', 'config/production.yaml', 'debug: false  # prodcheck: skip[config-debug-enabled]\n'],
    ['gunicorn', 'gunicorn.conf.py', 'bind = "0.0.0.0:8000"  # prodcheck: ignore[gunicorn-bind]\n'],
  ])('malformed in %s reported', (_kind, file, text) => {
    const { reported, findings } = checkWith({ [file]: text });
    const invalid = findings.filter((finding) => finding.ruleId === 'suppression-invalid');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({ file, severity: 'warning' });
    expect(reported.filter((entry) => entry.includes('suppression-unused'))).toEqual([]);
  });

  test.each([
    ['python', 'main.py', 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]  # prodcheck: ignore[python-secret-literal]\n', 3],
    ['dockerfile', 'Dockerfile', 'FROM python:3.12-slim\n# prodcheck: ignore[dockerfile-user-root]\nUSER 10001\nCMD ["gunicorn", "main:app"]\n', 2],
    ['requirements', 'requirements.txt', 'flask==3.0.3  # prodcheck: ignore[requirements-unpinned]\n', 1],
    ['yaml', 'config/production.yaml', 'debug: false  # prodcheck: ignore[config-debug-enabled]\n', 1],
    ['gunicorn', 'gunicorn.conf.py', 'bind = "0.0.0.0:8000"\nreload = False  # prodcheck: ignore[gunicorn-reload-enabled]\n', 2],
  ])('unused in %s reported with a fix', (_kind, file, text, line) => {
    const { findings } = checkWith({ [file]: text });
    const unused = findings.filter((finding) => finding.ruleId === 'suppression-unused');
    expect(unused).toHaveLength(1);
    expect(unused[0]).toMatchObject({ file, line, severity: 'info' });
    expect(unused[0].fix).toMatchObject({ safety: 'safe', edits: [expect.objectContaining({ file, text: '' })] });
  });

  test('reason required', () => {
    const text = 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SECRET_KEY"] = "hardcoded-secret-value-1234"  # prodcheck: ignore[python-secret-literal]\n';
    expect(checkWith({ 'main.py': text }).reported.filter((entry) => entry.includes('suppression-'))).toEqual([]);

    const required = checkWith({ 'main.py': text }, { requireReason: true });
    expect(required.reported).toContain('main.py:4 suppression-invalid');
    expect(required.suppressed).toEqual(['main.py:4 python-secret-literal (null)']);
  });

  test('reason given satisfies requirement', () => {
    const text = 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SECRET_KEY"] = "hardcoded-secret-value-1234"  # prodcheck: ignore[python-secret-literal] -- test key\n';
    expect(checkWith({ 'main.py': text }, { requireReason: true }).reported.filter((entry) => entry.includes('suppression-'))).toEqual([]);
  });

  test('rule turned off: comment not unused', () => {
    const text = 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]  # prodcheck: ignore[python-secret-literal]\n';
    const { reported } = checkWith({ 'main.py': text }, { severities: new Map([['python-secret-literal', 'off']]) });
    expect(reported.filter((entry) => entry.includes('suppression-'))).toEqual([]);
  });

  test('per-file ignored rule: comment not unused', () => {
    const text = 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SECRET_KEY"] = "hardcoded-secret-value-1234"  # prodcheck: ignore[python-secret-literal]\n';
    const { reported } = checkWith({ 'main.py': text }, { ignoresFinding: (relPath, ruleId) => relPath === 'main.py' && ruleId === 'python-secret-literal' });
    expect(reported.filter((entry) => entry.includes('python-secret-literal') || entry.includes('suppression-'))).toEqual([]);
  });

  test('suppression rules configurable', () => {
    const text = 'x = 1  # prodcheck: ignore[python-secret-literal]\ny = 2  # prodcheck: ignore\n';
    const off = checkWith({ 'main.py': text }, { severities: new Map([['suppression-unused', 'off']]) });
    expect(off.reported.filter((entry) => entry.includes('suppression-'))).toEqual(['main.py:2 suppression-invalid']);

    const raised = checkWith({ 'main.py': text }, { severities: new Map([['suppression-invalid', 'error']]) });
    expect(raised.findings.find((finding) => finding.ruleId === 'suppression-invalid')?.severity).toBe('error');
  });

  test('unparsed file never judged unused', () => {
    const { reported } = checkWith({ 'config/production.yaml': 'debug: false  # prodcheck: ignore[config-debug-enabled]\nkey: [unclosed\n' });
    expect(reported).toContain('config/production.yaml:3 parse-error');
    expect(reported.filter((entry) => entry.includes('suppression-unused'))).toEqual([]);
  });

  test('shared include never judged unused', () => {
    const input = systemFromMemory({ ...SYSTEM, 'requirements.txt': '-r ../shared.txt\ngunicorn==23.0.0\n' });
    const load = input.load;
    input.load = (relPath, kind) =>
      relPath === '../shared.txt' ? createSourceFile('../shared.txt', 'requirements', 'flask  # prodcheck: ignore[requirements-unpinned]\nrequests==2.32.3  # prodcheck: ignore[requirements-unpinned]\n') : load(relPath, kind);

    const result = checkSystem(input);
    expect(result.suppressed.map(({ finding }) => `${finding.file}:${finding.line} ${finding.ruleId}`)).toEqual(['../shared.txt:1 requirements-unpinned']);
    expect(result.findings.filter((finding) => finding.ruleId.startsWith('suppression-'))).toEqual([]);
  });

  test('per-file ignores drop findings', () => {
    const { reported } = checkWith({}, { ignoresFinding: (relPath, ruleId) => relPath === 'Dockerfile' && ruleId === 'dockerfile-user-root' });
    expect(reported).not.toContain('Dockerfile:2 dockerfile-user-root');
    expect(reported).toContain('main.py:4 python-secret-literal');
  });

  test('comment problems need their rule', () => {
    const text = 'x = 1  # prodcheck: ignore[python-secret-literal]\ny = 2  # prodcheck: ignore\n';
    const result = checkSystem(systemFromMemory({ 'main.py': text }), { rules: [findRule('python-secret-literal')!] });
    expect(result.findings).toEqual([]);
  });

  test('fixer removes unused and keeps used', () => {
    const text = 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]  # prodcheck: ignore[python-secret-literal]\nTOKEN = "hardcoded-secret-value-1234"  # prodcheck: ignore[python-secret-literal] -- test\n';
    const outcome = fixSystem(systemFromMemory({ 'main.py': text }), { unsafe: false, existsOnDisk: () => false, rules: [findRule('python-secret-literal')!, findRule('suppression-unused')!] });
    expect(outcome.changes.map((change) => change.fixed.text)).toEqual(['import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\nTOKEN = "hardcoded-secret-value-1234"  # prodcheck: ignore[python-secret-literal] -- test\n']);
  });

  test.each([
    ['python', 'main.py', 'import os\n\n# prodcheck: ignore[python-secret-literal] -- old\nSECRET_KEY = os.environ["SECRET_KEY"]\n', 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]\n'],
    ['gunicorn', 'gunicorn.conf.py', 'bind = "0.0.0.0:8000"\nreload = False  # prodcheck: ignore[gunicorn-reload-enabled]\n', 'bind = "0.0.0.0:8000"\nreload = False\n'],
    ['dockerfile', 'Dockerfile', 'FROM python:3.12-slim\n# prodcheck: ignore[dockerfile-user-root]\nUSER 10001\n', 'FROM python:3.12-slim\nUSER 10001\n'],
    ['requirements', 'requirements.txt', 'flask==3.0.3  # prodcheck: ignore[requirements-unpinned] -- pinned now\r\ngunicorn==23.0.0\r\n', 'flask==3.0.3\r\ngunicorn==23.0.0\r\n'],
    ['yaml', 'config/production.yaml', '# prodcheck: ignore-file[config-debug-enabled]\ndebug: false\n', 'debug: false\n'],
  ])('fixer removes unused in %s', (_kind, file, text, fixed) => {
    const outcome = fixSystem(systemFromMemory({ [file]: text }), { unsafe: false, existsOnDisk: () => false, rules: [findRule('suppression-unused')!] });
    expect(outcome.changes.map((change) => [change.relPath, change.fixed.text])).toEqual([[file, fixed]]);
    expect(outcome.remaining.filter((finding) => finding.ruleId.startsWith('suppression-'))).toEqual([]);
  });

  test('fixer honours editable files', () => {
    const text = 'import os\n\nSECRET_KEY = os.environ["SECRET_KEY"]  # prodcheck: ignore[python-secret-literal]\n';
    const outcome = fixSystem(systemFromMemory({ 'main.py': text }), { unsafe: false, existsOnDisk: () => false, rules: [findRule('suppression-unused')!], editableFiles: (relPath) => relPath !== 'main.py' });
    expect(outcome.changes).toEqual([]);
  });
});

describe('directive after another comment', () => {
  test('unused fix keeps the other comment', () => {
    const text = 'PATH = "/dev/shm"  # nosec B108  # prodcheck: ignore[python-secret-literal]\n';
    const result = applySuppressions([], [source('main.py', 'python', text)], RULES);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ ruleId: 'suppression-unused', line: 1, column: 34 });
    expect(result.problems[0].fix?.edits).toEqual([{ file: 'main.py', start: 31, end: text.length - 1, text: '' }]);
  });

  test('on a comment line, targets the next line', () => {
    const text = '# nosec B105  # prodcheck: ignore[python-secret-literal]\nTOKEN = "x"\n';
    const result = applySuppressions([at('main.py', 2, 'python-secret-literal')], [source('main.py', 'python', text)], RULES);
    expect(result.kept).toEqual([]);
    expect(result.suppressed).toHaveLength(1);
  });
});

describe('YAML comments', () => {
  test.each([
    ['apostrophe in a plain value', "note: don't restart  # prodcheck: ignore[python-secret-literal]\n", 1],
    ['hash without space is text', 'url: http://example.test/#prodcheck: ignore[python-secret-literal]\n', 0],
    ['hash in a quoted value', 'key: "a # prodcheck: ignore[python-secret-literal]"\n', 0],
    ['escaped single quote', "key: 'it''s # not a comment'  # prodcheck: ignore[python-secret-literal]\n", 1],
    ['list item quoted', "- 'x # text'  # prodcheck: ignore[python-secret-literal]\n", 1],
  ])('%s', (_name, text, directives) => {
    const result = applySuppressions([], [source('config/app.yaml', 'yaml', text)], RULES);
    expect(result.problems.filter((problem) => problem.ruleId === 'suppression-unused')).toHaveLength(directives);
  });

  test('long line of quotes stays fast', () => {
    const text = `key: a${"'".repeat(200_000)}  # prodcheck: ignore[python-secret-literal]\n`;
    const started = Date.now();
    const result = applySuppressions([], [source('config/app.yaml', 'yaml', text)], RULES);
    expect(result.problems).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
