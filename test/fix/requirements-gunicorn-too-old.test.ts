import { findRule } from '../../rules';
import { fixSystem, type FixOutcome } from '../../src/fix/loop';
import { systemFromMemory } from '../../src/system';
import { checkFiles } from '../helpers';

const RULE = 'requirements-gunicorn-too-old';

function system(requirements: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'main.py': 'from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n',
    Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "main:create_app()"]\n',
    'requirements.txt': requirements,
    ...extra,
  };
}

function fix(files: Record<string, string>, unsafe = true, ruleOptions?: Record<string, unknown>): FixOutcome {
  return fixSystem(systemFromMemory(files), {
    rules: [findRule(RULE)!],
    unsafe,
    existsOnDisk: () => false,
    ruleOptions: ruleOptions ? new Map([[RULE, ruleOptions]]) : undefined,
  });
}

/** Applies the fixes, then checks that the rule is silent and that a second run changes nothing. */
function roundTrip(files: Record<string, string>, ruleOptions?: Record<string, unknown>): Record<string, string> {
  const first = fix(files, true, ruleOptions);
  const result: Record<string, string> = { ...files };
  for (const change of first.changes) result[change.relPath] = change.fixed.text;

  expect(first.remaining.filter((finding) => finding.ruleId === RULE)).toEqual([]);
  expect(fix(result, true, ruleOptions).changes).toEqual([]);
  return result;
}

describe(`${RULE} fix`, () => {
  test.each([
    ['broken pin', 'flask==3.1.3\ngunicorn==20.0.0\n', 'flask==3.1.3\ngunicorn==27.0.1\n'],
    ['short version', 'flask==3.1.3\n\nGunicorn==20.0  # server\n', 'flask==3.1.3\n\nGunicorn==27.0.1  # server\n'],
    ['extras and marker kept', 'gunicorn[setproctitle]==20.0.0 ; sys_platform == "linux"\n', 'gunicorn[setproctitle]==27.0.1 ; sys_platform == "linux"\n'],
  ])('%s', (_name, requirements, expected) => {
    expect(roundTrip(system(requirements))['requirements.txt']).toBe(expected);
  });

  test('pins option overrides table', () => {
    const files = roundTrip(system('gunicorn==20.0.0\n'), { pins: { gunicorn: '23.0.0' } });

    expect(files['requirements.txt']).toBe('gunicorn==23.0.0\n');
  });

  test('fix is unsafe', () => {
    const findings = checkFiles(system('gunicorn==20.0.0\n'), [RULE]);

    expect(findings[0].fix?.safety).toBe('unsafe');
    expect(findings[0].fix?.title).toBe('Pin `gunicorn` to `==27.0.1`');
    expect(fix(system('gunicorn==20.0.0\n'), false).changes).toEqual([]);
  });
});

describe(`${RULE} fix not offered`, () => {
  test.each([
    ['hash-locked line', system('gunicorn==20.0.0 \\\n    --hash=sha256:aaaa\n'), undefined],
    ['eventlet worker', system('gunicorn==20.0.0\n', { 'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworker_class = "eventlet"\n' }), undefined],
    ['configured pin too old', system('gunicorn==20.0.0\n'), { pins: { gunicorn: '20.0.0' } }],
  ])('%s', (_name, files, ruleOptions) => {
    const outcome = fix(files, true, ruleOptions);

    expect(outcome.remaining.filter((finding) => finding.ruleId === RULE)).toHaveLength(1);
    expect(outcome.changes).toEqual([]);
  });
});
