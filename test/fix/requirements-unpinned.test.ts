import { findRule } from '../../rules';
import { fixSystem, type FixOutcome } from '../../src/fix/loop';
import { createSourceFile } from '../../src/source';
import { systemFromMemory, type SystemInput } from '../../src/system';
import { checkFiles } from '../helpers';

const RULE = 'requirements-unpinned';

function fix(input: SystemInput, unsafe = true, ruleOptions?: Record<string, unknown>): FixOutcome {
  return fixSystem(input, {
    rules: [findRule(RULE)!],
    unsafe,
    existsOnDisk: () => false,
    ruleOptions: ruleOptions ? new Map([[RULE, ruleOptions]]) : undefined,
  });
}

/** Applies the fixes, then checks that the rule is silent and that a second run changes nothing. */
function roundTrip(files: Record<string, string>, ruleOptions?: Record<string, unknown>): Record<string, string> {
  const first = fix(systemFromMemory(files), true, ruleOptions);
  const result: Record<string, string> = { ...files };
  for (const change of first.changes) result[change.relPath] = change.fixed.text;

  expect(first.remaining.filter((finding) => finding.ruleId === RULE)).toEqual([]);
  expect(fix(systemFromMemory(result), true, ruleOptions).changes).toEqual([]);
  return result;
}

describe(`${RULE} fix`, () => {
  test.each([
    ['no specifier', 'flask\n', 'flask==3.1.3\n'],
    ['lower bound', 'flask>=2.3\n', 'flask==3.1.3\n'],
    ['range', 'Flask>=2.3,<4\n', 'Flask==3.1.3\n'],
    ['spaces in range', 'flask >= 2.3 , < 4\n', 'flask ==3.1.3\n'],
    ['compatible release', 'gunicorn~=27.0\n', 'gunicorn==27.0.1\n'],
    ['excluded version', 'requests!=2.32.0\n', 'requests==2.34.2\n'],
    ['wildcard', 'flask==3.*\n', 'flask==3.1.3\n'],
    ['extras kept', 'flask[async]>=3\n', 'flask[async]==3.1.3\n'],
    ['extras with spaces', 'flask [async] >=3\n', 'flask [async] ==3.1.3\n'],
    ['marker kept', 'flask ; python_version >= "3.9"\n', 'flask==3.1.3 ; python_version >= "3.9"\n'],
    ['marker after range', 'flask>=3;python_version>="3.9"\n', 'flask==3.1.3;python_version>="3.9"\n'],
    ['comment kept', 'flask  # web framework\n', 'flask==3.1.3  # web framework\n'],
    ['parenthesised', 'flask (>=3)\n', 'flask (==3.1.3)\n'],
    ['normalised name', 'Flask_Cors\n', 'Flask_Cors==6.0.5\n'],
    ['no final newline', 'gunicorn==27.0.1\nflask', 'gunicorn==27.0.1\nflask==3.1.3'],
    ['CRLF', 'gunicorn==27.0.1\r\nflask>=3\r\n', 'gunicorn==27.0.1\r\nflask==3.1.3\r\n'],
    ['options after', 'flask>=3 --config-settings=x=1\n', 'flask==3.1.3 --config-settings=x=1\n'],
  ])('%s', (_name, requirements, expected) => {
    expect(roundTrip({ 'requirements.txt': requirements })['requirements.txt']).toBe(expected);
  });

  test('included file edited', () => {
    const files = roundTrip({ 'requirements.txt': '-r requirements/base.txt\n', 'requirements/base.txt': 'flask==3.1.3\nredis\n' });

    expect(files['requirements/base.txt']).toBe('flask==3.1.3\nredis==8.1.0\n');
  });

  test('pins option overrides table', () => {
    const files = roundTrip({ 'requirements.txt': 'flask>=3\nmylib>=1\n' }, { pins: { flask: '3.0.3', MyLib: '1.4.0' } });

    expect(files['requirements.txt']).toBe('flask==3.0.3\nmylib==1.4.0\n');
  });

  test('fix is unsafe', () => {
    const findings = checkFiles({ 'requirements.txt': 'flask>=3\n' }, [RULE]);

    expect(findings[0].fix?.safety).toBe('unsafe');
    expect(findings[0].fix?.title).toBe('Pin `flask` to `==3.1.3`');
    expect(fix(systemFromMemory({ 'requirements.txt': 'flask>=3\n' }), false).changes).toEqual([]);
  });

  test('UTF-16LE file with CRLF', () => {
    const source = createSourceFile('requirements.txt', 'requirements', 'flask>=3\r\ngunicorn\r\n', 'utf16le', true);
    source.eol = '\r\n';
    const input = systemFromMemory({});
    input.files.push(source);
    const fixed = fix(input).changes[0].fixed;

    expect(fixed.text).toBe('flask==3.1.3\r\ngunicorn==27.0.1\r\n');
    expect(fixed.encoding).toBe('utf16le');
    expect(fixed.bom).toBe(true);
  });
});

describe(`${RULE} fix not offered`, () => {
  test.each([
    ['pin outside the range', 'flask<3\n'],
    ['pin excluded', 'flask!=3.1.3\n'],
    ['compatible release below the pin', 'flask~=2.3\n'],
    ['wildcard below the pin', 'flask==2.*\n'],
    ['package the table lacks', 'mylib>=1\n'],
    ['URL without a version', 'lib @ git+https://github.com/org/lib.git\n'],
    ['specifier across a continuation', 'flask>=2,\\\n<4\n'],
    ['lower bound above the pin', 'redis>9\n'],
  ])('%s', (_name, requirements) => {
    const findings = checkFiles({ 'requirements.txt': requirements }, [RULE]);

    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((finding) => finding.fix)).toEqual(findings.map(() => undefined));
  });

  test('pyproject dependency', () => {
    const findings = checkFiles({ 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["flask>=3"]\n' }, [RULE]);

    expect(findings).toHaveLength(1);
    expect(findings[0].fix).toBeUndefined();
  });
});
