import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../rules';
import { discoverSystem, readSystemFile } from '../../src/discovery';
import { checkSystem } from '../../src/engine';
import type { CiFinding, CiFormatContext, CiSystem } from '../../src/report/context';
import { TextLines } from '../../src/report/fingerprint';
import { defineRule, type Rule, type RuleArea, type Severity } from '../../src/rule';

/** The repository root of the hand-made sample; nothing is read from it. */
export const SAMPLE_REPOSITORY = '/repo';

/** The files of the hand-made sample system `service`, below the repository root. */
export const SAMPLE_FILES: Record<string, string> = {
  'main.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\n',
  Dockerfile: 'FROM python:3.12-slim\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "main:app"]\n',
  'gunicorn.conf.py': 'workers = 4\n',
};

/** Small rules named like real ones, with short docs so that exact outputs stay readable. */
export const SAMPLE_RULES: Rule[] = [
  sampleRule('flask-dev-server', 'python', 'error', 'The Werkzeug development server runs in production'),
  sampleRule('flask-health-route-missing', 'python', 'warning', 'The app serves no `/health` liveness route'),
  sampleRule('dockerfile-pip-cache', 'dockerfile', 'info', '`pip install` in the final image keeps its download cache'),
];

/** Returns a finding on the first occurrence of `needle` at or after `fromIndex` in a file's text, with offsets and positions that agree. */
export function findingOn(
  file: string,
  needle: string,
  ruleId: string,
  severity: Severity,
  message: string,
  text = SAMPLE_FILES[file],
  fromIndex = 0,
): CiFinding {
  const start = text.indexOf(needle, fromIndex);
  if (start < 0) throw new Error(`\`${needle}\` is not in ${file}.`);

  const lines = new TextLines(text);
  const from = lines.position(start);
  const to = lines.position(start + needle.length);
  return { ruleId, severity, message, file, line: from.line, column: from.column, endLine: to.line, endColumn: to.column, start, end: start + needle.length };
}

/** Returns the findings of the sample, in no particular order: one per severity, a fix, a parse error and a skipped file. */
export function sampleFindings(): CiFinding[] {
  const devServer = findingOn('main.py', 'app.run(debug=True)', 'flask-dev-server', 'error', '`app.run(debug=True)` runs when the module is imported.');
  devServer.fix = {
    title: 'Move `app.run(...)` under `if __name__ == "__main__":`',
    safety: 'unsafe',
    edits: [{ file: 'main.py', start: devServer.start, end: devServer.end, text: 'if __name__ == "__main__":\n    app.run(debug=True)' }],
  };

  return [
    findingOn('Dockerfile', 'RUN pip install -r requirements.txt', 'dockerfile-pip-cache', 'info', '`pip install` keeps its download cache in the image layer.'),
    devServer,
    findingOn('main.py', 'app = Flask(__name__)', 'flask-health-route-missing', 'warning', 'The app `app` serves no `/health` route.'),
    { ruleId: 'parse-error', severity: 'error', message: '`broken.py` does not parse: `def f(:` is invalid.', file: 'broken.py', line: 1, column: 7, endLine: 1, endColumn: 8, start: 6, end: 7 },
    { ruleId: 'file-skipped', severity: 'warning', message: '`big.py` is 5 MiB, over the 4 MiB limit, so it was not read.', file: 'big.py', line: 1, column: 1, endLine: 1, endColumn: 1, start: 0, end: 0 },
  ];
}

export function sampleSystem(findings: CiFinding[] = sampleFindings()): CiSystem {
  return { displayRoot: 'service', findings };
}

/** Returns a context for the sample run from the repository root, with `files` as the file texts. */
export function sampleContext(files: Record<string, string> = SAMPLE_FILES, overrides: Partial<CiFormatContext> = {}): CiFormatContext {
  return {
    rules: SAMPLE_RULES,
    toolVersion: '1.2.3',
    cwd: SAMPLE_REPOSITORY,
    repositoryRoot: SAMPLE_REPOSITORY,
    fileText: (_system, file) => files[file],
    checkedFiles: () => [...Object.keys(files), 'broken.py'],
    informationUri: 'https://example.com/prodcheck',
    ruleDocsBaseUri: 'https://example.com/prodcheck/docs/rules/',
    ...overrides,
  };
}

/** Returns the names of the sample systems in `fixtures/`. */
export function fixtureNames(): string[] {
  const folder = path.join(__dirname, '..', '..', 'fixtures');
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Checks `fixtures/<name>` as the CLI would from the repository root, and returns its system and a context with every rule. */
export function fixtureReport(name: string): { system: CiSystem; context: CiFormatContext } {
  const repository = path.join(__dirname, '..', '..');
  const root = path.join(repository, 'fixtures', name);
  const discovered = discoverSystem(root);
  const { findings } = checkSystem({
    root,
    files: discovered.files,
    skipped: discovered.skipped,
    load: (relPath, kind) => readSystemFile(root, relPath, kind),
  });
  const texts = new Map(discovered.files.map((file) => [file.relPath, file.text]));

  const context: CiFormatContext = {
    rules: allRules,
    toolVersion: '0.1.0',
    cwd: repository,
    repositoryRoot: repository,
    fileText: (_system, file) => texts.get(file),
    checkedFiles: () => [...texts.keys()],
    informationUri: 'https://example.com/prodcheck',
    ruleDocsBaseUri: 'https://example.com/prodcheck/docs/rules/',
  };
  return { system: { displayRoot: `fixtures/${name}`, findings }, context };
}

function sampleRule(id: string, area: RuleArea, severity: Severity, description: string): Rule {
  return defineRule({
    meta: {
      id,
      area,
      description,
      severity,
      fixable: 'none',
      messages: { found: description },
      docs: {
        whatItDoes: `Reports where ${id} applies.`,
        whyItMatters: 'It breaks production.',
        examples: { bad: { 'main.py': 'bad = True\n' }, good: { 'main.py': 'good = True\n' } },
        useInstead: 'Do the production thing.',
      },
    },
    check() {},
  });
}
