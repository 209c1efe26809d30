/**
 * Runs prodcheck on a generated corpus of hostile and broken inputs (scripts/generate-hostile-corpus.mjs):
 * every case must end with exit code 0 or 1, no internal error or stack trace, in bounded time, and
 * nothing in the checked files may run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NO_COLORS } from '../src/report/colors';
import { run } from '../src/run';

const ROOT = path.join(__dirname, '..');
const CORPUS = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-hostile-'));
const EXECUTION_MARKERS = ['config', 'setup', 'main', 'yaml'].map((name) => `/tmp/prodcheck-executed-${name}`);
/** A hang guard, not a speed target: the slowest case (a 100,000-line requirements file) takes a few seconds. */
const CASE_TIME_LIMIT_MS = 20_000;

for (const marker of EXECUTION_MARKERS) fs.rmSync(marker, { force: true });
const generated = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'generate-hostile-corpus.mjs'), CORPUS], { encoding: 'utf8' });
const cases = fs.readdirSync(CORPUS).sort();

afterAll(() => {
  // The unreadable case removes permissions; give them back so the folder can be deleted.
  spawnSync('chmod', ['-R', 'u+rwx', CORPUS]);
  fs.rmSync(CORPUS, { recursive: true, force: true });
});

test('corpus generated', () => {
  expect(generated.status).toBe(0);
  expect(cases.length).toBeGreaterThan(80);
});

describe.each(cases)('hostile %s', (name) => {
  test('ends cleanly', () => {
    const started = Date.now();
    const result = run({ target: path.join(CORPUS, name), cwd: CORPUS, format: 'json', failOn: 'error', colors: NO_COLORS });
    const elapsed = Date.now() - started;

    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect([0, 1]).toContain(result.exitCode);
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    expect(elapsed).toBeLessThan(CASE_TIME_LIMIT_MS);
  }, CASE_TIME_LIMIT_MS * 2);
});

test('located messages for unreadable input', () => {
  const findingsOf = (name: string) =>
    JSON.parse(run({ target: path.join(CORPUS, name), cwd: CORPUS, format: 'json', failOn: 'error', colors: NO_COLORS }).stdout).systems.flatMap(
      (system: { findings: Array<{ ruleId: string; file: string; message: string }> }) => system.findings,
    );

  expect(findingsOf('huge-file')).toContainEqual(expect.objectContaining({ ruleId: 'file-skipped', file: 'main.py' }));
  expect(findingsOf('random-main-py')).toContainEqual(expect.objectContaining({ file: 'main.py' }));
  expect(findingsOf('symlink-outside')).toContainEqual(expect.objectContaining({ ruleId: 'file-skipped', file: 'requirements.txt' }));
  expect(findingsOf('yaml-alias-bomb')).toContainEqual(expect.objectContaining({ ruleId: 'parse-error', file: 'config/bomb.yaml' }));
  expect(findingsOf('requirements-include-cycle').some((finding: { message: string }) => /cycle|includes itself|already/i.test(finding.message))).toBe(true);
});

test('nothing in the checked files runs', () => {
  run({ target: path.join(CORPUS, 'never-execute'), cwd: CORPUS, format: 'json', failOn: 'error', colors: NO_COLORS });
  for (const marker of EXECUTION_MARKERS) expect({ marker, exists: fs.existsSync(marker) }).toEqual({ marker, exists: false });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('built CLI survives the deepest case', () => {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'prodcheck.mjs'), path.join(CORPUS, 'deep-python-calls')], { encoding: 'utf8', timeout: 60_000 });
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  expect([0, 1]).toContain(result.status);
});
