import { findRule } from '../../rules';
import { fixSystem, type FixOutcome } from '../../src/fix/loop';
import { createSourceFile } from '../../src/source';
import { systemFromMemory, type SystemInput } from '../../src/system';
import { checkFiles } from '../helpers';

const RULE = 'requirements-import-undeclared';
const MISSING = 'requirements-package-missing';

const YAML_APP = 'import yaml\nfrom flask import Flask\n\napp = Flask(__name__)\n';

function fix(input: SystemInput, ruleIds = [RULE], unsafe = true): FixOutcome {
  return fixSystem(input, { rules: ruleIds.map((id) => findRule(id)!), unsafe, existsOnDisk: () => false });
}

/** Applies the fixes, then checks that the rules are silent and that a second run changes nothing. */
function roundTrip(files: Record<string, string>, ruleIds = [RULE]): Record<string, string> {
  const first = fix(systemFromMemory(files), ruleIds);
  const result: Record<string, string> = { ...files };
  for (const change of first.changes) result[change.relPath] = change.fixed.text;

  expect(first.remaining.filter((finding) => ruleIds.includes(finding.ruleId))).toEqual([]);
  expect(fix(systemFromMemory(result), ruleIds).changes).toEqual([]);
  return result;
}

describe(`${RULE} fix`, () => {
  test('mapped distribution added', () => {
    const files = roundTrip({ 'main.py': YAML_APP, 'requirements.txt': 'flask==3.1.3\ngunicorn==27.0.1\n' });

    expect(files['requirements.txt']).toBe('flask==3.1.3\ngunicorn==27.0.1\npyyaml==6.0.3\n');
  });

  test('published spelling in capitalised file', () => {
    const files = roundTrip({ 'main.py': YAML_APP, 'requirements.txt': 'Flask==3.1.3\n' });

    expect(files['requirements.txt']).toBe('Flask==3.1.3\nPyYAML==6.0.3\n');
  });

  test('own-name distribution added', () => {
    const files = roundTrip({ 'client.py': 'import requests\nfrom dotenv import load_dotenv\n', 'requirements.txt': 'flask==3.1.3\n' });

    expect(files['requirements.txt']).toBe('flask==3.1.3\npython-dotenv==1.2.4\nrequests==2.34.2\n');
  });

  test('several modules import one package', () => {
    const files = roundTrip({ 'a.py': 'import yaml\n', 'b.py': 'from yaml import safe_load\n', 'requirements.txt': 'flask==3.1.3\n' });

    expect(files['requirements.txt']).toBe('flask==3.1.3\npyyaml==6.0.3\n');
  });

  test('development pin reused', () => {
    const files = roundTrip({
      'main.py': YAML_APP,
      'requirements.txt': 'flask==3.1.3\n',
      'requirements-dev.txt': '-r requirements.txt\nPyYAML==6.0.1\n',
    });

    expect(files['requirements.txt']).toBe('flask==3.1.3\npyyaml==6.0.1\n');
    expect(files['requirements-dev.txt']).toBe('-r requirements.txt\nPyYAML==6.0.1\n');
  });

  test('no requirements file: created with everything', () => {
    const files = roundTrip({ 'main.py': `${YAML_APP}import requests\n` }, [RULE, MISSING]);

    expect(files['requirements.txt']).toBe('flask==3.1.3\npyyaml==6.0.3\nrequests==2.34.2\n');
  });

  test('created file lists needed packages too', () => {
    const outcome = fix(systemFromMemory({ 'main.py': YAML_APP }));

    expect(outcome.applied).toHaveLength(1);
    expect(outcome.changes.map((change) => [change.relPath, change.fixed.text])).toEqual([['requirements.txt', 'flask==3.1.3\npyyaml==6.0.3\n']]);
  });

  test('fix is unsafe', () => {
    const files = { 'main.py': YAML_APP, 'requirements.txt': 'flask==3.1.3\n' };
    const findings = checkFiles(files, [RULE]);

    expect(findings[0].fix?.safety).toBe('unsafe');
    expect(findings[0].fix?.title).toBe('Add `pyyaml==6.0.3` to `requirements.txt`');
    expect(fix(systemFromMemory(files), [RULE], false).changes).toEqual([]);
  });

  test('UTF-16LE file with CRLF', () => {
    const source = createSourceFile('requirements.txt', 'requirements', 'flask==3.1.3\r\ngunicorn==27.0.1\r\n', 'utf16le', true);
    source.eol = '\r\n';
    const input = systemFromMemory({ 'main.py': YAML_APP });
    input.files.push(source);
    const outcome = fix(input);
    const fixed = outcome.changes.find((change) => change.relPath === 'requirements.txt')!.fixed;

    expect(fixed.text).toBe('flask==3.1.3\r\ngunicorn==27.0.1\r\npyyaml==6.0.3\r\n');
    expect(fixed.encoding).toBe('utf16le');
    expect(fixed.bom).toBe(true);
    expect(outcome.remaining.filter((finding) => finding.ruleId === RULE)).toEqual([]);
  });
});

describe(`${RULE} fix not offered`, () => {
  test.each([
    ['distribution the pin table lacks', { 'main.py': 'import docx\n', 'requirements.txt': 'flask==3.1.3\n' }],
    ['unknown own-name module', { 'main.py': 'import somelib\n', 'requirements.txt': 'flask==3.1.3\n' }],
    ['hash-locked file', { 'main.py': YAML_APP, 'requirements.txt': 'flask==3.1.3 \\\n    --hash=sha256:aaaa\n' }],
    ['pyproject dependencies', { 'main.py': YAML_APP, 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["flask==3.1.3"]\n' }],
  ])('%s', (_name, files: Record<string, string>) => {
    const findings = checkFiles(files, [RULE]);

    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((finding) => finding.fix)).toEqual(findings.map(() => undefined));
  });
});
