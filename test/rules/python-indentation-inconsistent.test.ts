import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { findIndentationError } from '../../rules/python/indentation';
import { checkFiles, ruleFindings, seededRandom } from '../helpers';

const RULE = 'python-indentation-inconsistent';
const PYTHON = '/usr/bin/python3';

describe(RULE, () => {
  test.each<[string, string, number]>([
    ['tab after spaces', 'def ready():\n    if True:\n\treturn "ok"\n    return "no"\n', 3],
    ['tab level with eight spaces', 'def ready():\n        x = 1\n\ty = 2\n', 3],
    ['tab deeper than four spaces', 'class Store:\n    def query(self):\n\tpass\n', 3],
    ['CRLF lines', 'def ready():\r\n    if True:\r\n\treturn "ok"\r\n', 3],
    ['dedent to no level', 'if True:\n        a = 1\n    b = 2\n', 3],
    ['dedent inside a function', 'def ready():\n    if True:\n        return 1\n  return 2\n', 4],
  ])('reports %s', (_name, text, line) => {
    expect(ruleFindings(RULE, { 'main.py': text })).toEqual([{ ruleId: RULE, file: 'main.py', line, column: 1, severity: 'error' }]);
  });

  test('Gunicorn config', () => {
    expect(ruleFindings(RULE, { 'gunicorn.conf.py': 'def on_starting(server):\n    if server:\n\tpass\n' }).map((finding) => finding.line)).toEqual([3]);
  });

  test('messages', () => {
    const files = { 'main.py': 'def ready():\n    x = 1\n\ty = 2\n', 'store.py': 'if True:\n        a = 1\n    b = 2\n' };

    expect(checkFiles(files, [RULE]).map((finding) => finding.message)).toEqual([
      "This line's indentation is deeper or shallower than the lines around it depending on the width of a tab, so Python stops with `TabError` when it loads `main.py`.",
      'This line is indented less than its block but matches no enclosing level, so Python stops with `IndentationError` when it loads `store.py`.',
    ]);
  });

  test.each<[string, string]>([
    ['tabs only', 'def ready():\n\tif True:\n\t\treturn "ok"\n\treturn "no"\n'],
    ['spaces only', 'def ready():\n    return "ok"\n'],
    ['tab inside brackets', 'if True:\n    x = (1,\n\t2)\n'],
    ['tab inside a string', 's = """\n\tabc\n    def"""\nif True:\n    pass\n'],
    ['tab after a backslash', 'if True:\n    x = 1 + \\\n\t2\n'],
    ['tab on a comment line', 'if True:\n    x = 1\n\t# note\n    y = 2\n'],
    ['same mix on every line', 'if True:\n  \tx = 1\n  \ty = 2\n'],
    ['tab inside code', 'x = "a\\tb"\nif True:\n    y = 1\t# aligned\n'],
    ['dedent to an enclosing level', 'if True:\n    if True:\n        a = 1\n    b = 2\nc = 3\n'],
    ['dedent inside brackets', 'x = [\n        1,\n    2,\n]\n'],
  ])('silent on %s', (_name, text) => {
    expect(ruleFindings(RULE, { 'main.py': text })).toEqual([]);
  });
});

/** Writes a small program of nested blocks whose indentation units are random mixes of tabs and spaces. */
function randomProgram(random: () => number): string {
  const units = ['\t', '    ', '  ', ' \t', '\t ', '        ', '\t\t'];
  const pick = () => units[Math.floor(random() * units.length)];
  const lines: string[] = [];
  const stack: string[] = [''];
  for (let count = 0; count < 8; count++) {
    const indentation = stack[stack.length - 1];
    const choice = random();
    if (choice < 0.35) {
      lines.push(`${indentation}if x:`);
      stack.push(indentation + pick());
      lines.push(`${stack[stack.length - 1]}y = (1,\n${pick()}2)`);
    } else if (choice < 0.6 && stack.length > 1) {
      stack.pop();
      lines.push(`${stack[stack.length - 1]}z = 3`);
    } else if (choice < 0.8) {
      // The same depth written with other characters: consistent or not depending on the mix.
      lines.push(`${indentation.replace(/ {8}/g, '\t').replace(/\t/g, random() < 0.5 ? '\t' : '        ')}w = 4`);
    } else if (choice < 0.9 && stack.length > 1) {
      // A shallower line at any number of spaces: back to a level, or between two levels.
      const spaces = ' '.repeat(Math.floor(random() * indentation.replace(/\t/g, '        ').length));
      lines.push(`${spaces}u = 6`);
      while (stack.length > 1 && stack[stack.length - 1].replace(/\t/g, '        ').length > spaces.length) stack.pop();
    } else {
      lines.push(`${indentation}v = 5`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const agreesWithPython = fs.existsSync(PYTHON) ? test : test.skip;

agreesWithPython(`agrees with Python's tokenizer${fs.existsSync(PYTHON) ? '' : ` (skipped: ${PYTHON} is missing)`}`, () => {
  const random = seededRandom(20261205);
  const programs = Array.from({ length: 400 }, () => randomProgram(random));
  // compile() only tokenizes and parses each program; nothing runs.
  const script = [
    'import json, sys',
    'results = []',
    'for source in json.load(sys.stdin):',
    '    try:',
    '        compile(source, "main.py", "exec")',
    '        results.append("ok")',
    '    except TabError:',
    '        results.append("tab")',
    '    except IndentationError as error:',
    '        results.append("dedent" if "unindent does not match" in str(error) else "other")',
    '    except SyntaxError:',
    '        results.append("other")',
    'print(json.dumps(results))',
    '',
  ].join('\n');
  const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(programs), encoding: 'utf8' });
  const verdicts: string[] = JSON.parse(result.stdout);
  const compared = programs.map((program, index) => ({ program, python: verdicts[index], prodcheck: findIndentationError(program)?.kind ?? 'ok' })).filter((entry) => entry.python !== 'other');
  const disagreements = compared.filter((entry) => entry.python !== entry.prodcheck);

  expect(compared.filter((entry) => entry.python === 'tab').length).toBeGreaterThan(20);
  expect(compared.filter((entry) => entry.python === 'dedent').length).toBeGreaterThan(5);
  expect(compared.filter((entry) => entry.python === 'ok').length).toBeGreaterThan(20);
  expect(disagreements).toEqual([]);
});
