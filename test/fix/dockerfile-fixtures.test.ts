/**
 * Fixes each dev-grade sample system in memory with every rule, unsafe fixes included. The
 * Dockerfile fixes must leave no dockerfile error, a Gunicorn CMD that the boot test can read, and
 * nothing more to change on a second run.
 */
import * as path from 'node:path';
import { allRules } from '../../rules';
import { discoverSystem, readSystemFile } from '../../src/discovery';
import { fixSystem, type FixOutcome } from '../../src/fix/loop';
import type { SystemInput } from '../../src/system';
import { systemFromMemory } from '../../src/system';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const DEV_FIXTURES = ['dev-server', 'dev-factory', 'dev-async-store'];

function fixtureInput(name: string): SystemInput {
  const root = path.join(FIXTURES, name);
  const discovered = discoverSystem(root);
  return { root, files: discovered.files, skipped: discovered.skipped, load: (relPath, kind) => readSystemFile(root, relPath, kind) };
}

function fixAll(input: SystemInput): FixOutcome {
  return fixSystem(input, { rules: allRules, unsafe: true, existsOnDisk: () => false });
}

/** Returns the texts of the system after fixing, by relative path. */
function fixedTexts(input: SystemInput, outcome: FixOutcome): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const file of input.files) texts[file.relPath] = file.text;
  for (const change of outcome.changes) texts[change.relPath] = change.fixed.text;
  return texts;
}

describe.each(DEV_FIXTURES)('fixed %s', (name) => {
  const input = fixtureInput(name);
  const outcome = fixAll(input);
  const texts = fixedTexts(input, outcome);

  test('no dockerfile error left', () => {
    const errors = outcome.remaining.filter((finding) => finding.ruleId.startsWith('dockerfile-') && finding.severity === 'error');
    expect(errors.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}: ${finding.message}`)).toEqual([]);
  });

  test('no dockerfile fix failed', () => {
    expect(outcome.failed.filter(({ finding }) => finding.ruleId.startsWith('dockerfile-')).map(({ finding, reason }) => `${finding.ruleId}: ${reason}`)).toEqual([]);
  });

  test('last cmd runs gunicorn in exec form', () => {
    const cmd = texts.Dockerfile.split(/\r?\n/).filter((line) => /^CMD\s+\[/.test(line)).at(-1) ?? '';
    const argv: unknown = JSON.parse(cmd.replace(/^CMD\s+/, ''));
    expect(Array.isArray(argv)).toBe(true);
    expect((argv as string[])[0]).toBe('gunicorn');
  });

  test('probe runs python', () => {
    expect(texts.Dockerfile).toMatch(/^HEALTHCHECK .* CMD \["python", "-c", "import sys, urllib\.request; /m);
  });

  test('second fix changes nothing', () => {
    expect(fixAll(systemFromMemory(texts)).changes.map((change) => change.relPath)).toEqual([]);
  });
});
