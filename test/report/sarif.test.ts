import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import { renderRulePage } from '../../src/docs';
import type { CiFinding } from '../../src/report/context';
import { formatSarif, SARIF_SCHEMA_URI } from '../../src/report/sarif';
import { findingOn, fixtureNames, fixtureReport, SAMPLE_FILES, SAMPLE_RULES, sampleContext, sampleFindings, sampleSystem } from './sample';

// The SARIF 2.1.0 schema (OASIS, release candidate rtm.5) is a draft-04 JSON schema. Its
// `language` pattern is not a valid Unicode-mode regular expression, so patterns compile
// without the `u` flag, as draft-04 validators did.
const ajv = new AjvDraft04({ allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

function sarifOf(findings: CiFinding[] = sampleFindings(), files = SAMPLE_FILES): Sarif.Log {
  return JSON.parse(formatSarif([sampleSystem(findings)], sampleContext(files))) as Sarif.Log;
}

function schemaErrors(log: unknown): string[] {
  if (validateSarif(log)) return [];
  return (validateSarif.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

describe('sarif schema', () => {
  test('sample validates', () => {
    expect(schemaErrors(sarifOf())).toEqual([]);
  });

  test('dev-server fixture validates', () => {
    const { system, context } = fixtureReport('dev-server');
    const log = JSON.parse(formatSarif([system], context)) as Sarif.Log;

    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0].results!.length).toBe(system.findings.length);
  });

  test.each(fixtureNames())('fixture %s validates', (name) => {
    const { system, context } = fixtureReport(name);

    expect(schemaErrors(JSON.parse(formatSarif([system], context)))).toEqual([]);
  });

  test('dev-server fixture fixes validate', () => {
    const { system, context } = fixtureReport('dev-server');
    const log = JSON.parse(formatSarif([system], context)) as Sarif.Log;
    const withFixes = log.runs[0].results!.filter((result) => result.fixes);

    expect(withFixes.length).toBe(system.findings.filter((finding) => finding.fix).length);
    expect(withFixes.length).toBeGreaterThan(0);
  });

  test('validator rejects a broken log', () => {
    const log = sarifOf();
    (log.runs[0].results![0] as { level: string }).level = 'fatal';

    expect(schemaErrors(log)).not.toEqual([]);
  });
});

describe('sarif run', () => {
  test('header and tool', () => {
    const log = sarifOf();
    const run = log.runs[0];

    expect(log.$schema).toBe(SARIF_SCHEMA_URI);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
    expect(run.tool.driver.name).toBe('prodcheck');
    expect(run.tool.driver.version).toBe('1.2.3');
    expect(run.tool.driver.semanticVersion).toBe('1.2.3');
    expect(run.tool.driver.informationUri).toBe('https://example.com/prodcheck');
  });

  test('rule descriptor', () => {
    const rules = sarifOf().runs[0].tool.driver.rules!;

    expect(rules.map((rule) => rule.id)).toEqual(['flask-dev-server', 'flask-health-route-missing', 'dockerfile-pip-cache']);
    expect(rules[0]).toEqual({
      id: 'flask-dev-server',
      name: 'FlaskDevServer',
      shortDescription: { text: 'The Werkzeug development server runs in production.' },
      fullDescription: { text: 'Reports where flask-dev-server applies.' },
      help: {
        text: 'The Werkzeug development server runs in production.\n\nReports where flask-dev-server applies.\n\nWhy it matters: It breaks production.\n\nUse instead: Do the production thing.',
        markdown: renderRulePage(SAMPLE_RULES[0]),
      },
      helpUri: 'https://example.com/prodcheck/docs/rules/flask-dev-server.md',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['python'], fixable: 'none' },
    });
  });

  test('levels by severity', () => {
    const rules = sarifOf().runs[0].tool.driver.rules!;

    expect(rules.map((rule) => rule.defaultConfiguration?.level)).toEqual(['error', 'warning', 'note']);
  });

  test('links left out without addresses', () => {
    const log = JSON.parse(formatSarif([sampleSystem()], sampleContext(SAMPLE_FILES, { informationUri: undefined, ruleDocsBaseUri: undefined }))) as Sarif.Log;

    expect(log.runs[0].tool.driver.informationUri).toBeUndefined();
    expect(log.runs[0].tool.driver.rules![0].helpUri).toBeUndefined();
    expect(schemaErrors(log)).toEqual([]);
  });
});

describe('sarif results', () => {
  test('exact result with fix', () => {
    const results = sarifOf().runs[0].results!;
    const devServer = results.find((result) => result.ruleId === 'flask-dev-server');

    expect(devServer).toEqual({
      ruleId: 'flask-dev-server',
      ruleIndex: 0,
      level: 'error',
      message: { text: '`app.run(debug=True)` runs when the module is imported.' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'service/main.py', uriBaseId: '%SRCROOT%' },
            region: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 20, snippet: { text: 'app.run(debug=True)' } },
            contextRegion: { startLine: 4, endLine: 4, snippet: { text: 'app.run(debug=True)' } },
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: expect.stringMatching(/^[0-9a-f]{16}:1$/) },
      fixes: [
        {
          description: { text: 'Move `app.run(...)` under `if __name__ == "__main__":`' },
          artifactChanges: [
            {
              artifactLocation: { uri: 'service/main.py', uriBaseId: '%SRCROOT%' },
              replacements: [
                {
                  deletedRegion: { startLine: 4, startColumn: 1, endLine: 4, endColumn: 20 },
                  insertedContent: { text: 'if __name__ == "__main__":\n    app.run(debug=True)' },
                },
              ],
            },
          ],
          properties: { safety: 'unsafe' },
        },
      ],
    });
  });

  test('results sorted by path and line', () => {
    const results = sarifOf().runs[0].results!;

    expect(results.map((result) => `${result.locations![0].physicalLocation!.artifactLocation!.uri}:${result.locations![0].physicalLocation!.region!.startLine} ${result.ruleId}`)).toEqual([
      'service/Dockerfile:2 dockerfile-pip-cache',
      'service/main.py:3 flask-health-route-missing',
      'service/main.py:4 flask-dev-server',
    ]);
  });

  test('output independent of input order', () => {
    const findings = sampleFindings();
    const forward = formatSarif([sampleSystem(findings)], sampleContext());
    const backward = formatSarif([sampleSystem([...findings].reverse())], sampleContext());

    expect(backward).toBe(forward);
  });

  test('finding severity overrides rule level', () => {
    const finding = findingOn('main.py', 'app.run(debug=True)', 'flask-dev-server', 'warning', 'Downgraded.');
    const result = sarifOf([finding]).runs[0].results![0];

    expect(result.level).toBe('warning');
  });

  test('unknown rule has no index', () => {
    const finding = findingOn('main.py', 'app', 'ports-mismatch', 'error', 'Ports differ.');
    const result = sarifOf([finding]).runs[0].results![0];

    expect(result.ruleId).toBe('ports-mismatch');
    expect(result.ruleIndex).toBeUndefined();
  });

  test('multi-line fix region', () => {
    const finding = findingOn('main.py', 'app = Flask(__name__)\napp.run', 'flask-dev-server', 'error', 'Spans two lines.');
    finding.fix = { title: 'Replace both lines', safety: 'safe', edits: [{ file: 'main.py', start: finding.start, end: finding.end, text: 'x' }] };
    const result = sarifOf([finding]).runs[0].results![0];
    const replacement = result.fixes![0].artifactChanges[0].replacements![0];

    expect(result.locations![0].physicalLocation!.region).toMatchObject({ startLine: 3, startColumn: 1, endLine: 4, endColumn: 8 });
    expect(result.locations![0].physicalLocation!.contextRegion!.snippet!.text).toBe('app = Flask(__name__)\napp.run(debug=True)');
    expect(replacement.deletedRegion).toEqual({ startLine: 3, startColumn: 1, endLine: 4, endColumn: 8 });
  });

  test('fix edits in two files and a new file', () => {
    const finding = findingOn('main.py', 'app.run(debug=True)', 'flask-dev-server', 'error', 'Dev server.');
    finding.fix = {
      title: 'Serve with Gunicorn',
      safety: 'unsafe',
      edits: [
        { file: 'Dockerfile', start: 0, end: 0, text: '# note\n' },
        { file: 'main.py', start: finding.start, end: finding.end, text: '' },
      ],
      newFiles: [{ file: 'wsgi.py', content: 'from main import app\n' }],
    };
    const changes = sarifOf([finding]).runs[0].results![0].fixes![0].artifactChanges;

    expect(changes.map((change) => change.artifactLocation.uri)).toEqual(['service/Dockerfile', 'service/main.py', 'service/wsgi.py']);
    expect(changes[0].replacements![0].deletedRegion).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    expect(changes[2].replacements![0]).toEqual({
      deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      insertedContent: { text: 'from main import app\n' },
    });
  });

  test('fix with only its safety left out', () => {
    const finding: CiFinding = { ...findingOn('main.py', 'app.run(debug=True)', 'flask-dev-server', 'error', 'Dev server.'), fix: { safety: 'unsafe' } };

    expect(sarifOf([finding]).runs[0].results![0].fixes).toBeUndefined();
  });

  test('fix offsets without file text', () => {
    const finding = findingOn('main.py', 'app.run(debug=True)', 'flask-dev-server', 'error', 'Dev server.');
    finding.fix = { title: 'Edit an unread file', safety: 'safe', edits: [{ file: 'other.py', start: 4, end: 9, text: 'y' }] };
    const log = sarifOf([finding]);
    const replacement = log.runs[0].results![0].fixes![0].artifactChanges[0].replacements![0];

    expect(replacement.deletedRegion).toEqual({ charOffset: 4, charLength: 5 });
    expect(schemaErrors(log)).toEqual([]);
  });

  test('utf-16 columns kept', () => {
    const text = 'name = "é😀"\nx = 1\n';
    const finding = findingOn('main.py', 'x = 1', 'flask-dev-server', 'error', 'After an emoji line.', text);
    const emoji = findingOn('main.py', '"é😀"', 'flask-dev-server', 'error', 'The emoji string.', text);
    const results = sarifOf([finding, emoji], { 'main.py': text }).runs[0].results!;

    expect(results[0].locations![0].physicalLocation!.region).toMatchObject({ startLine: 1, startColumn: 8, endColumn: 13 });
    expect(results[1].locations![0].physicalLocation!.region).toMatchObject({ startLine: 2, startColumn: 1, endColumn: 6 });
  });

  test('suppression in source', () => {
    const finding: CiFinding = { ...sampleFindings()[1], suppression: { kind: 'inSource', justification: 'Local tool only.' } };
    const log = sarifOf([finding]);

    expect(log.runs[0].results![0].suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'Local tool only.' }]);
    expect(schemaErrors(log)).toEqual([]);
  });

  test('external suppression without justification', () => {
    const finding: CiFinding = { ...sampleFindings()[1], suppression: { kind: 'external' } };

    expect(sarifOf([finding]).runs[0].results![0].suppressions).toEqual([{ kind: 'external', status: 'accepted' }]);
  });

  test('unsuppressed result has no suppressions', () => {
    expect(sarifOf().runs[0].results!.every((result) => result.suppressions === undefined)).toBe(true);
  });

  test('file outside repository', () => {
    const context = sampleContext(SAMPLE_FILES, { cwd: '/work/other', repositoryRoot: '/repo' });
    const log = JSON.parse(formatSarif([{ displayRoot: 'service', findings: [sampleFindings()[1]] }], context)) as Sarif.Log;
    const location = log.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!;

    expect(location).toEqual({ uri: 'file:///work/other/service/main.py' });
    expect(schemaErrors(log)).toEqual([]);
  });

  test('path segments percent-encoded', () => {
    const files = { 'my app/main #1.py': 'x = 1\n' };
    const finding = findingOn('my app/main #1.py', 'x = 1', 'flask-dev-server', 'error', 'Odd name.', files['my app/main #1.py']);
    const log = sarifOf([finding], files);

    expect(log.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri).toBe('service/my%20app/main%20%231.py');
    expect(schemaErrors(log)).toEqual([]);
  });
});

describe('sarif notifications', () => {
  test('file problems are notifications', () => {
    const run = sarifOf().runs[0];
    const notifications = run.invocations![0].toolExecutionNotifications!;

    expect(run.results!.map((result) => result.ruleId)).not.toContain('parse-error');
    expect(run.results!.map((result) => result.ruleId)).not.toContain('file-skipped');
    expect(run.invocations![0].executionSuccessful).toBe(true);
    expect(notifications.map((notification) => [notification.descriptor!.id, notification.level])).toEqual([
      ['file-skipped', 'warning'],
      ['parse-error', 'error'],
    ]);
  });

  test('exact parse error notification', () => {
    const notification = sarifOf().runs[0].invocations![0].toolExecutionNotifications![1];

    expect(notification).toEqual({
      descriptor: { id: 'parse-error', index: 0 },
      level: 'error',
      message: { text: '`broken.py` does not parse: `def f(:` is invalid.' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'service/broken.py', uriBaseId: '%SRCROOT%' },
            region: { startLine: 1, startColumn: 7, endLine: 1, endColumn: 8 },
          },
        },
      ],
    });
  });

  test('notification descriptors listed', () => {
    const descriptors = sarifOf().runs[0].tool.driver.notifications!;

    expect(descriptors.map((descriptor) => descriptor.id)).toEqual(['parse-error', 'file-skipped']);
  });
});

describe('sarif line hash', () => {
  const original = SAMPLE_FILES['main.py'];
  const lineHash = (text: string, needle = 'app.run(debug=True)', fromIndex = 0): string | undefined => {
    const finding = findingOn('main.py', needle, 'flask-dev-server', 'error', 'Dev server.', text, fromIndex);
    return sarifOf([finding], { 'main.py': text }).runs[0].results![0].partialFingerprints?.primaryLocationLineHash;
  };

  test('stable when a line is added above', () => {
    expect(lineHash(`import os\n${original}`)).toBe(lineHash(original));
  });

  test('stable when the line is re-indented', () => {
    const indented = original.replace('app.run(debug=True)', '    app.run( debug=True )');

    expect(lineHash(indented, 'app.run( debug=True )')).toBe(lineHash(original));
  });

  test('changes when the line changes', () => {
    const changed = original.replace('app.run(debug=True)', 'app.run(debug=False)');

    expect(lineHash(changed, 'app.run(debug=False)')).not.toBe(lineHash(original));
  });

  test('counts identical lines above', () => {
    const duplicated = `app.run(debug=True)\n${original}`;
    const first = lineHash(duplicated);
    const second = lineHash(duplicated, 'app.run(debug=True)', 1);

    expect(first).toMatch(/^[0-9a-f]{16}:1$/);
    expect(second).toBe(first!.replace(/:1$/, ':2'));
  });

  test('left out without file text', () => {
    const result = sarifOf([sampleFindings()[1]], {}).runs[0].results![0];

    expect(result.partialFingerprints).toBeUndefined();
    expect(result.locations![0].physicalLocation!.contextRegion).toBeUndefined();
  });
});
