import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import sarifSchema from '@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json';
import { elementsNamed, parseXml } from './report/parse-xml';

// These tests spawn the built CLI: run `npm run build` first.
const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'prodcheck.mjs');
const DEV_SERVER = 'fixtures/dev-server';

// The SARIF 2.1.0 schema is a draft-04 schema whose `language` pattern is not valid in Unicode
// mode, so patterns compile without the `u` flag.
const ajv = new AjvDraft04({ allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  fixable: string | null;
}

function prodcheck(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', CI: '', GITHUB_STEP_SUMMARY: '', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function temporaryFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-output-'));
}

function schemaErrors(log: unknown): string[] {
  if (validateSarif(log)) return [];
  return (validateSarif.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

/** Returns the findings of the dev-server fixture as the JSON format lists them. */
function devServerFindings(): JsonFinding[] {
  return JSON.parse(prodcheck([DEV_SERVER, '--format', 'json']).stdout).systems[0].findings as JsonFinding[];
}

/** Writes a service with warnings and infos but no error: a fresh Flask app without health routes. */
function writeWarningsOnly(): string {
  const folder = temporaryFolder();
  fs.writeFileSync(path.join(folder, 'main.py'), 'from flask import Flask\n\napp = Flask(__name__)\n');
  fs.writeFileSync(path.join(folder, 'requirements.txt'), 'flask==3.0.3\n');
  return folder;
}

describe('sarif format', () => {
  test('dev-server validates against schema', () => {
    const result = prodcheck([DEV_SERVER, '--format', 'sarif']);
    const log = JSON.parse(result.stdout) as Sarif.Log;

    expect(result.status).toBe(1);
    expect(schemaErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
  });

  test('one result per finding', () => {
    const log = JSON.parse(prodcheck([DEV_SERVER, '--format', 'sarif']).stdout) as Sarif.Log;
    const findings = devServerFindings().filter((finding) => finding.ruleId !== 'parse-error' && finding.ruleId !== 'file-skipped');

    expect(log.runs[0].results).toHaveLength(findings.length);
    expect(log.runs[0].results!.map((result) => result.ruleId).sort()).toEqual(findings.map((finding) => finding.ruleId).sort());
  });

  test('paths from repository root', () => {
    const log = JSON.parse(prodcheck([DEV_SERVER, '--format', 'sarif']).stdout) as Sarif.Log;
    const uris = log.runs[0].results!.map((result) => result.locations![0].physicalLocation!.artifactLocation!.uri);

    expect(uris).toContain('fixtures/dev-server/main.py');
    expect(log.runs[0].originalUriBaseIds!['%SRCROOT%'].uri).toBe(`${new URL(`file://${ROOT}/`).href}`);
  });

  test('fixes carry their edits', () => {
    const log = JSON.parse(prodcheck([DEV_SERVER, '--format', 'sarif']).stdout) as Sarif.Log;
    const fixable = devServerFindings().filter((finding) => finding.fixable !== null);
    const withFixes = log.runs[0].results!.filter((result) => result.fixes);

    expect(withFixes.length).toBe(fixable.length);
    for (const result of withFixes) {
      const fix = result.fixes![0];
      expect(fix.description!.text).not.toBe('');
      expect(fix.artifactChanges.length).toBeGreaterThan(0);
      expect(fix.artifactChanges[0].replacements.length).toBeGreaterThan(0);
    }
  });

  test('snippet is the checked text', () => {
    const log = JSON.parse(prodcheck([DEV_SERVER, '--format', 'sarif']).stdout) as Sarif.Log;
    const devServer = log.runs[0].results!.find((result) => result.ruleId === 'flask-dev-server')!;
    const region = devServer.locations![0].physicalLocation!.region!;
    const lines = fs.readFileSync(path.join(ROOT, DEV_SERVER, 'main.py'), 'utf8').split('\n');

    expect(region.snippet!.text).toBe(lines[region.startLine! - 1].slice(region.startColumn! - 1, region.endColumn! - 1));
    expect(devServer.partialFingerprints!.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:\d+$/);
  });

  test('no public address, no links', () => {
    const driver = (JSON.parse(prodcheck([DEV_SERVER, '--format', 'sarif']).stdout) as Sarif.Log).runs[0].tool.driver;

    expect(driver.informationUri).toBeUndefined();
    expect(driver.rules!.every((rule) => rule.helpUri === undefined)).toBe(true);
  });

  test('production has no results', () => {
    const result = prodcheck(['fixtures/production', '--format', 'sarif']);
    const log = JSON.parse(result.stdout) as Sarif.Log;

    expect(result.status).toBe(0);
    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0].results).toEqual([]);
  });

  test('outside repository uses working folder', () => {
    const folder = temporaryFolder();
    fs.cpSync(path.join(ROOT, DEV_SERVER), path.join(folder, 'service'), { recursive: true });
    const log = JSON.parse(prodcheck(['service', '--format', 'sarif'], {}, folder).stdout) as Sarif.Log;
    const uris = log.runs[0].results!.map((result) => result.locations![0].physicalLocation!.artifactLocation!.uri);

    expect(uris).toContain('service/main.py');
    expect(schemaErrors(log)).toEqual([]);
  });

  test('nearest git folder is root', () => {
    const folder = temporaryFolder();
    fs.mkdirSync(path.join(folder, 'repo', '.git'), { recursive: true });
    fs.cpSync(path.join(ROOT, DEV_SERVER), path.join(folder, 'repo', 'service'), { recursive: true });
    const log = JSON.parse(prodcheck(['repo/service', '--format', 'sarif'], {}, folder).stdout) as Sarif.Log;
    const uris = log.runs[0].results!.map((result) => result.locations![0].physicalLocation!.artifactLocation!.uri);

    expect(uris).toContain('service/main.py');
    expect(log.runs[0].originalUriBaseIds!['%SRCROOT%'].uri).toBe(new URL(`file://${path.join(folder, 'repo')}/`).href);
  });
});

describe('github format', () => {
  test('annotations on stdout', () => {
    const result = prodcheck([DEV_SERVER, '--format', 'github']);
    const lines = result.stdout.split('\n').filter(Boolean);

    expect(result.status).toBe(1);
    expect(lines[0]).toMatch(/^::error file=fixtures\/dev-server\/[^,]+,line=\d+,/);
    expect(lines.filter((line) => line.startsWith('::error ')).length).toBeLessThanOrEqual(10);
    expect(result.stdout).toMatch(/^::notice title=prodcheck::GitHub shows at most 10 annotations/m);
  });

  test('step summary appended', () => {
    const folder = temporaryFolder();
    const summary = path.join(folder, 'summary.md');
    fs.writeFileSync(summary, '# earlier step\n');
    const result = prodcheck([DEV_SERVER, '--format', 'github'], { GITHUB_STEP_SUMMARY: summary });
    const text = fs.readFileSync(summary, 'utf8');

    expect(result.status).toBe(1);
    expect(text.startsWith('# earlier step\n')).toBe(true);
    expect(text).toContain('❌ **Failed**');
    expect(text).toMatch(/\| `flask-dev-server` \|.*❌ failed/);
  });

  test('no summary without variable', () => {
    const result = prodcheck([DEV_SERVER, '--format', 'github']);

    expect(result.stdout).not.toContain('## prodcheck');
    expect(result.stderr).not.toContain('cannot write');
  });

  test('summary only for github', () => {
    const folder = temporaryFolder();
    const summary = path.join(folder, 'summary.md');
    prodcheck([DEV_SERVER, '--format', 'json'], { GITHUB_STEP_SUMMARY: summary });

    expect(fs.existsSync(summary)).toBe(false);
  });

  test('production writes no annotation', () => {
    const result = prodcheck(['fixtures/production', '--format', 'github']);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
  });
});

describe('gitlab format', () => {
  test('one issue per finding', () => {
    const result = prodcheck([DEV_SERVER, '--format', 'gitlab']);
    const issues = JSON.parse(result.stdout) as Array<{ check_name: string; fingerprint: string; location: { path: string } }>;

    expect(result.status).toBe(1);
    expect(issues).toHaveLength(devServerFindings().length);
    expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(issues.length);
    expect(issues.every((issue) => issue.location.path.startsWith('fixtures/dev-server/'))).toBe(true);
  });

  test('production is empty array', () => {
    expect(JSON.parse(prodcheck(['fixtures/production', '--format', 'gitlab']).stdout)).toEqual([]);
  });
});

describe('junit format', () => {
  test('well-formed with failures', () => {
    const result = prodcheck([DEV_SERVER, '--format', 'junit']);
    const { errors, root } = parseXml(result.stdout);
    const failures = elementsNamed(root!, 'failure');

    expect(errors).toEqual([]);
    expect(root!.name).toBe('testsuites');
    expect(failures.length).toBe(devServerFindings().length);
    expect(elementsNamed(root!, 'testsuite')[0].attributes.name).toBe('fixtures/dev-server');
  });

  test('production passes every case', () => {
    const { root } = parseXml(prodcheck(['fixtures/production', '--format', 'junit']).stdout);

    expect(root!.attributes.failures).toBe('0');
    expect(Number(root!.attributes.tests)).toBeGreaterThan(0);
    expect(elementsNamed(root!, 'testcase').every((testCase) => testCase.attributes.name === 'all rules')).toBe(true);
  });
});

describe('checkstyle format', () => {
  test('one error per finding', () => {
    const { errors, root } = parseXml(prodcheck([DEV_SERVER, '--format', 'checkstyle']).stdout);

    expect(errors).toEqual([]);
    expect(elementsNamed(root!, 'error').length).toBe(devServerFindings().length);
    expect(elementsNamed(root!, 'file').map((file) => file.attributes.name)).toContain('fixtures/dev-server/main.py');
  });

  test('production lists clean files', () => {
    const { root } = parseXml(prodcheck(['fixtures/production', '--format', 'checkstyle']).stdout);

    expect(elementsNamed(root!, 'error')).toEqual([]);
    expect(elementsNamed(root!, 'file').length).toBeGreaterThan(0);
  });
});

describe('several formats in one run', () => {
  test('files and stdout agree', () => {
    const folder = temporaryFolder();
    const result = prodcheck(
      [DEV_SERVER, '--format', `sarif:${folder}/out/prodcheck.sarif`, '--format', 'github', '--format', `gitlab:${folder}/gl.json`, '--format', `junit:${folder}/junit.xml`, '--format', `checkstyle:${folder}/checkstyle.xml`, '--format', `json:${folder}/findings.json`, '--format', `stylish:${folder}/report.txt`],
    );
    const count = devServerFindings().length;
    const sarif = JSON.parse(fs.readFileSync(path.join(folder, 'out/prodcheck.sarif'), 'utf8')) as Sarif.Log;

    expect(result.status).toBe(1);
    expect(result.stdout.startsWith('::error ')).toBe(true);
    expect(schemaErrors(sarif)).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(folder, 'gl.json'), 'utf8'))).toHaveLength(count);
    expect(elementsNamed(parseXml(fs.readFileSync(path.join(folder, 'junit.xml'), 'utf8')).root!, 'failure')).toHaveLength(count);
    expect(elementsNamed(parseXml(fs.readFileSync(path.join(folder, 'checkstyle.xml'), 'utf8')).root!, 'error')).toHaveLength(count);
    expect(JSON.parse(fs.readFileSync(path.join(folder, 'findings.json'), 'utf8')).systems[0].findings).toHaveLength(count);
    expect(fs.readFileSync(path.join(folder, 'report.txt'), 'utf8')).toMatch(new RegExp(`^${count} problems `, 'm'));
  });

  test('only files, empty stdout', () => {
    const folder = temporaryFolder();
    const result = prodcheck([DEV_SERVER, '--format', `sarif:${folder}/a.sarif`]);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('can be fixed with `--fix`');
    expect(fs.existsSync(path.join(folder, 'a.sarif'))).toBe(true);
  });

  test('file report has no colors', () => {
    const folder = temporaryFolder();
    const result = prodcheck([DEV_SERVER, '--color', '--format', `stylish:${folder}/report.txt`, '--format', 'stylish']);

    expect(result.stdout).toContain('\u001b[');
    expect(fs.readFileSync(path.join(folder, 'report.txt'), 'utf8')).not.toContain('\u001b[');
  });

  test('relative file from working folder', () => {
    const folder = temporaryFolder();
    fs.cpSync(path.join(ROOT, DEV_SERVER), path.join(folder, 'service'), { recursive: true });
    prodcheck(['service', '--format', 'sarif:reports/prodcheck.sarif'], {}, folder);

    expect(fs.existsSync(path.join(folder, 'reports', 'prodcheck.sarif'))).toBe(true);
  });

  test('unwritable file exits 2', () => {
    const folder = temporaryFolder();
    fs.mkdirSync(path.join(folder, 'taken'));
    const result = prodcheck([DEV_SERVER, '--format', `sarif:${folder}/taken`, '--format', 'json']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`cannot write the sarif report to \`${folder}/taken\``);
    expect(JSON.parse(result.stdout).systems).toHaveLength(1);
  });

  test.each([
    [['--format', 'json', '--format', 'sarif'], 'only one format can go there'],
    [['--format', 'xml'], 'unknown format `xml`'],
    [['--format', 'sarif:'], 'has no file name'],
    [['--format', 'sarif:a.out', '--format', 'junit:a.out'], 'two reports to `a.out`'],
    [['--diff', '--format', 'sarif:a.sarif'], '--diff prints the fixes as a patch'],
  ])('usage error %j', (args, message) => {
    const result = prodcheck([DEV_SERVER, ...args]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});

describe('cli conventions', () => {
  test('unknown fail-on is usage error', () => {
    const result = prodcheck([DEV_SERVER, '--fail-on', 'critical']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('prodcheck: --fail-on must be `error`, `warning` or `info`, not `critical`.');
  });

  test('report path through a file', () => {
    const folder = temporaryFolder();
    fs.writeFileSync(path.join(folder, 'out.txt'), 'in the way\n');
    const result = prodcheck(['fixtures/production', '--format', `sarif:${path.join(folder, 'out.txt', 'report.sarif')}`]);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot write the sarif report to `[^`]*report\.sarif`: a part of its folder path is a file, not a folder\./);
  });

  test('one warning over the limit', () => {
    const result = prodcheck([writeWarningsOnly(), '--max-warnings', '0']);

    expect(result.stderr).toMatch(/prodcheck: (1 warning|\d+ warnings) found, more than the 0 that --max-warnings allows\./);
    expect(result.stderr).not.toContain('1 warnings');
  });

  test('quiet shows errors only', () => {
    const result = prodcheck([DEV_SERVER, '--quiet', '--format', 'json']);
    const severities = new Set((JSON.parse(result.stdout).systems[0].findings as JsonFinding[]).map((finding) => finding.severity));

    expect(result.status).toBe(1);
    expect([...severities]).toEqual(['error']);
  });

  test('quiet stylish names hidden counts', () => {
    const result = prodcheck([DEV_SERVER, '--quiet']);

    expect(result.stdout).not.toMatch(/\d+:\d+\s+warning\s/);
    expect(result.stdout).toMatch(/^\d+ warnings? and \d+ infos? not shown because of --quiet\.$/m);
  });

  test('quiet keeps warning exit code', () => {
    const folder = writeWarningsOnly();
    const result = prodcheck([folder, '--quiet', '--fail-on', 'warning']);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain('No problems found.');
  });

  test('without quiet warnings shown', () => {
    const result = prodcheck([writeWarningsOnly()]);

    expect(result.stdout).toMatch(/\d+:\d+\s+warning\s/);
    expect(result.stdout).not.toContain('--quiet');
  });

  test('max-warnings exceeded fails', () => {
    const folder = writeWarningsOnly();
    const result = prodcheck([folder, '--max-warnings', '0']);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/prodcheck: \d+ warnings found, more than the 0 that --max-warnings allows\./);
  });

  test('max-warnings not exceeded passes', () => {
    const result = prodcheck([writeWarningsOnly(), '--max-warnings', '100']);

    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('--max-warnings');
  });

  test.each(['-1', 'many', '1.5'])('max-warnings %s is usage error', (value) => {
    const result = prodcheck([DEV_SERVER, '--max-warnings', value]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--max-warnings must be a whole number');
  });

  test('exit-zero with findings', () => {
    const result = prodcheck([DEV_SERVER, '--exit-zero']);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('flask-dev-server');
  });

  test('exit-zero keeps usage error', () => {
    expect(prodcheck(['does/not/exist', '--exit-zero']).status).toBe(2);
    expect(prodcheck([DEV_SERVER, '--exit-zero', '--format', 'xml']).status).toBe(2);
  });

  test('exit-zero with diff', () => {
    const folder = temporaryFolder();
    fs.cpSync(path.join(ROOT, DEV_SERVER), folder, { recursive: true });

    expect(prodcheck([folder, '--diff']).status).toBe(1);
    expect(prodcheck([folder, '--diff', '--exit-zero']).status).toBe(0);
  });

  test('statistics after stylish report', () => {
    const result = prodcheck([DEV_SERVER, '--statistics']);
    const section = result.stdout.slice(result.stdout.indexOf('Findings by rule:'));
    const counts = [...section.matchAll(/^\s+(\d+)\s+([a-z-]+)\s/gm)];
    const total = Number(/^(\d+) problems/m.exec(result.stdout)![1]);

    expect(result.stdout.indexOf('Findings by rule:')).toBeGreaterThan(result.stdout.indexOf(' problems ('));
    expect(counts.reduce((sum, match) => sum + Number(match[1]), 0)).toBe(total);
    expect(counts.map((match) => match[2])).toContain('flask-dev-server');
  });

  test('statistics with json on stderr', () => {
    const result = prodcheck([DEV_SERVER, '--statistics', '--format', 'json']);

    expect(() => JSON.parse(result.stdout)).not.toThrow();
    expect(result.stderr).toContain('Findings by rule:');
  });

  test('statistics of clean system', () => {
    expect(prodcheck(['fixtures/production', '--statistics']).stdout).toContain('Findings by rule: none.');
  });

  test('no statistics without flag', () => {
    const result = prodcheck([DEV_SERVER]);

    expect(result.stdout).not.toContain('Findings by rule');
    expect(result.stderr).not.toContain('Findings by rule');
  });

  test('no progress line when piped', () => {
    const result = prodcheck([DEV_SERVER]);

    expect(result.stderr).not.toContain('checked ');
    expect(result.stdout).not.toContain('\r');
  });

  test('help shows new options', () => {
    const result = prodcheck(['--help']);

    expect(result.status).toBe(0);
    for (const option of ['sarif:prodcheck.sarif', 'junit:prodcheck-junit.xml', '--quiet', '--max-warnings 0', '--exit-zero --statistics', '--explain flask-dev-server', 'rules --format json']) {
      expect(result.stdout).toContain(option);
    }
  });
});

describe('explain', () => {
  test('prints rule page', () => {
    const result = prodcheck(['--explain', 'flask-dev-server']);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe(fs.readFileSync(path.join(ROOT, 'docs/rules/flask-dev-server.md'), 'utf8'));
  });

  test('unknown id suggests nearest', () => {
    const result = prodcheck(['--explain', 'flask-dev-servr']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('`flask-dev-servr` is not a rule id. Did you mean `flask-dev-server`?');
    expect(result.stdout).toBe('');
  });

  test('far id suggests nothing', () => {
    const result = prodcheck(['--explain', 'zzzzzzzzzzzz']);

    expect(result.status).toBe(2);
    expect(result.stderr).not.toContain('Did you mean');
  });

  test('missing id is usage error', () => {
    expect(prodcheck(['--explain']).status).toBe(2);
  });

  test('file problem explained', () => {
    const result = prodcheck(['--explain', 'parse-error']);

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^# parse-error\n/);
  });
});

describe('rules command', () => {
  test('json lists every rule', () => {
    const result = prodcheck(['rules', '--format', 'json']);
    const rules = JSON.parse(result.stdout) as Array<{ id: string; severity: string; fixable: string; docs: string }>;
    const listed = [...prodcheck(['rules']).stdout.matchAll(/^([a-z0-9-]+)\s/gm)].map((match) => match[1]);

    expect(result.status).toBe(0);
    expect(rules.map((rule) => rule.id)).toEqual(listed);
    expect(rules.find((rule) => rule.id === 'flask-dev-server')).toMatchObject({ severity: 'error', fixable: 'unsafe', docs: 'docs/rules/flask-dev-server.md' });
  });

  test('stylish stays default', () => {
    expect(prodcheck(['rules']).stdout).toMatch(/^flask-dev-server\s+error/m);
  });

  test('other format is usage error', () => {
    const result = prodcheck(['rules', '--format', 'sarif']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('writes `stylish` or `json`');
  });
});

describe('empty folder', () => {
  test('stylish prints note', () => {
    const result = prodcheck([temporaryFolder()]);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No files to check, so no problems found.');
    expect(result.stderr).toContain('no files to check under');
  });

  test('json has zero systems', () => {
    const document = JSON.parse(prodcheck([temporaryFolder(), '--format', 'json']).stdout);

    expect(document.systems).toEqual([]);
    expect(document.summary).toEqual({ errors: 0, warnings: 0, infos: 0, suppressed: 0 });
  });

  test('sarif has zero results', () => {
    const result = prodcheck([temporaryFolder(), '--format', 'sarif']);
    const log = JSON.parse(result.stdout) as Sarif.Log;

    expect(result.status).toBe(0);
    expect(schemaErrors(log)).toEqual([]);
    expect(log.runs[0].results).toEqual([]);
  });
});

describe('target stage', () => {
  /** Writes a system whose Dockerfile has the stages `build` and `runtime`. */
  function writeStagedSystem(): string {
    const folder = temporaryFolder();
    fs.writeFileSync(path.join(folder, 'Dockerfile'), 'FROM python:3.12-slim AS build\nRUN true\n\nFROM python:3.12-slim AS runtime\nCMD ["gunicorn", "main:app"]\n');
    fs.writeFileSync(path.join(folder, 'main.py'), 'from flask import Flask\n\napp = Flask(__name__)\n');
    return folder;
  }

  test('unknown stage is usage error', () => {
    const result = prodcheck([writeStagedSystem(), '--target-stage', 'prod', '--format', 'json']);

    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--target-stage `prod` is not a stage of `[^`]*Dockerfile`: its stages are `build`, `runtime`\./);
    expect(result.stdout).toBe('');
  });

  test('known stage checks', () => {
    const result = prodcheck([writeStagedSystem(), '--target-stage', 'build', '--format', 'json']);
    const findings = JSON.parse(result.stdout).systems[0].findings as JsonFinding[];

    expect(result.stderr).not.toContain('--target-stage');
    expect(findings.filter((finding) => finding.ruleId === 'parse-error')).toEqual([]);
  });

  test('stage names ignore case', () => {
    expect(prodcheck([writeStagedSystem(), '--target-stage', 'Runtime']).stderr).not.toContain('is not a stage');
  });
});

describe('diff output', () => {
  test('outside target applies with patch', () => {
    const folder = temporaryFolder();
    fs.cpSync(path.join(ROOT, DEV_SERVER), folder, { recursive: true });
    const result = prodcheck([folder, '--diff']);
    const fixed = temporaryFolder();
    fs.cpSync(path.join(ROOT, DEV_SERVER), fixed, { recursive: true });
    const applied = spawnSync('patch', ['-p1', '--batch', '--forward'], { cwd: fixed, input: result.stdout, encoding: 'utf8' });

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^--- a\/main\.py$/m);
    expect(result.stdout).not.toContain('a//');
    expect(applied.status).toBe(0);
    expect(prodcheck([fixed, '--diff']).stdout).toBe('');
  });

  test('inside target keeps working-folder paths', () => {
    const result = prodcheck([DEV_SERVER, '--diff']);

    expect(result.stdout).toMatch(/^--- a\/fixtures\/dev-server\/main\.py$/m);
  });

  test('nothing fixable says so', () => {
    const result = prodcheck(['fixtures/production', '--diff']);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('nothing to fix: no finding has a safe fix that applies');
  });

  test('diff with another stdout format is usage error', () => {
    const result = prodcheck([DEV_SERVER, '--diff', '--format', 'json']);

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--diff prints the fixes as a unified diff, so it cannot be combined with `--format json`.');
  });

  test('fixable diff has no empty note', () => {
    expect(prodcheck([DEV_SERVER, '--diff']).stderr).not.toContain('nothing to fix');
  });
});

describe('fixes through workers and cache', () => {
  /** Eight copies of the dev-server fixture, so worker threads check them. */
  function writeEightSystems(): string {
    const folder = temporaryFolder();
    for (let index = 0; index < 8; index++) fs.cpSync(path.join(ROOT, DEV_SERVER), path.join(folder, `service-${index}`), { recursive: true });
    return folder;
  }

  test('sarif fixes survive workers and cache', () => {
    const folder = writeEightSystems();
    const args = ['.', '--format', 'sarif', '--jobs', '2', '--cache'];
    const first = prodcheck(args, {}, folder);
    const second = prodcheck(args, {}, folder);
    const log = JSON.parse(second.stdout) as Sarif.Log;

    expect(fs.readdirSync(path.join(folder, '.prodcheck-cache')).length).toBeGreaterThan(0);
    expect(second.stdout).toBe(first.stdout);
    expect(log.runs[0].results!.filter((result) => result.fixes?.[0].artifactChanges.length).length).toBeGreaterThan(8);
  });
});

describe('inline suppression', () => {
  /** Writes a service whose only error, `app.run()`, a comment suppresses. */
  function writeSuppressed(): string {
    const folder = writeWarningsOnly();
    fs.appendFileSync(path.join(folder, 'main.py'), '# prodcheck: ignore[flask-dev-server] -- local demo only\napp.run()\n');
    return folder;
  }

  test('suppressed error does not fail', () => {
    const result = prodcheck([writeSuppressed()]);

    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('flask-dev-server');
    expect(result.stdout).toContain('1 suppressed finding not shown.');
  });

  test('unsuppressed error fails', () => {
    const folder = writeWarningsOnly();
    fs.appendFileSync(path.join(folder, 'main.py'), 'app.run()\n');

    expect(prodcheck([folder]).status).toBe(1);
  });

  test('json lists it apart', () => {
    const system = JSON.parse(prodcheck([writeSuppressed(), '--format', 'json']).stdout).systems[0];

    expect(system.findings.map((finding: JsonFinding) => finding.ruleId)).not.toContain('flask-dev-server');
    expect(system.suppressed).toEqual([expect.objectContaining({ ruleId: 'flask-dev-server', suppression: { kind: 'inSource', justification: 'local demo only' } })]);
  });

  test('sarif marks it', () => {
    const log = JSON.parse(prodcheck([writeSuppressed(), '--format', 'sarif']).stdout) as Sarif.Log;
    const result = log.runs[0].results!.find((entry) => entry.ruleId === 'flask-dev-server')!;

    expect(schemaErrors(log)).toEqual([]);
    expect(result.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'local demo only' }]);
  });

  test('ci formats leave it out', () => {
    const folder = writeSuppressed();

    expect(prodcheck([folder, '--format', 'github']).stdout).not.toContain('flask-dev-server');
    expect(prodcheck([folder, '--format', 'gitlab']).stdout).not.toContain('flask-dev-server');
    expect(prodcheck([folder, '--format', 'junit']).stdout).not.toContain('flask-dev-server');
    expect(prodcheck([folder, '--format', 'checkstyle']).stdout).not.toContain('flask-dev-server');
  });
});

describe('package contents', () => {
  test('ships only what users need', () => {
    const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const files = (JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((file) => file.path);

    expect(result.status).toBe(0);
    expect(files).toContain('bin/prodcheck.mjs');
    expect(files).toContain('dist/src/cli.mjs');
    expect(files).toContain('dist/rules/index.js');
    expect(files).toContain('docs/rules/flask-dev-server.md');
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    for (const folder of ['src/', 'test/', 'fixtures/', 'scripts/', 'rules/', '.ci/']) {
      expect(files.filter((file) => file.startsWith(folder))).toEqual([]);
    }
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
  });
});
