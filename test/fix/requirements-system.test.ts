import * as path from 'node:path';
import { discoverSystem, readSystemFile } from '../../src/discovery';
import { fixSystem, type FixOutcome } from '../../src/fix/loop';
import type { SystemInput } from '../../src/system';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');

/** Reads a sample system from disk as the CLI does, loading included files on request. */
function readFixture(name: string): SystemInput {
  const root = path.join(FIXTURES, name);
  const discovered = discoverSystem(root);
  return { root, files: discovered.files, skipped: discovered.skipped, load: (relPath, kind) => readSystemFile(root, relPath, kind) };
}

function fix(input: SystemInput): FixOutcome {
  return fixSystem(input, { unsafe: true, existsOnDisk: () => false });
}

/** Replaces the files of the input with the fixed ones and adds the created ones. */
function afterFixes(input: SystemInput, outcome: FixOutcome): SystemInput {
  const files = new Map(input.files.map((file) => [file.relPath, file]));
  for (const change of outcome.changes) files.set(change.relPath, change.fixed);
  const list = [...files.values()];
  return { ...input, files: list, load: (relPath, kind) => files.get(relPath) ?? input.load(relPath, kind) };
}

describe('requirements fixes on whole systems', () => {
  test.each(['dev-server', 'dev-factory', 'dev-async-store'])('%s fixed and stable', (name) => {
    const input = readFixture(name);
    const first = fix(input);
    const left = first.remaining.filter((finding) => finding.ruleId.startsWith('requirements-') && finding.severity !== 'info');

    expect(left.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`)).toEqual([]);
    expect(first.oscillated).toBe(false);
    expect(fix(afterFixes(input, first)).changes).toEqual([]);
  });

  test('dev-server requirements after fixing', () => {
    const input = readFixture('dev-server');
    const requirements = fix(input).changes.find((change) => change.relPath === 'requirements.txt')!.fixed.text;
    const lines = requirements.split('\n');

    expect(lines).toContain('flask==3.1.3  # expect: requirements-unpinned');
    expect(lines).toContain('flask-cors==6.0.5');
    expect(requirements.endsWith('\n')).toBe(true);
  });
});
