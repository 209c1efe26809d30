import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRule } from '../../rules';
import { gunicornRules } from '../../rules/gunicorn';
import { checkSystem } from '../../src/engine';
import { fixSystem, type FixOutcome } from '../../src/fix/loop';
import type { Finding, Rule } from '../../src/rule';
import { systemFromMemory } from '../../src/system';

/** Debian's Python, which the end-to-end tests run Gunicorn with. */
export const PYTHON = '/usr/bin/python3';

export interface RoundTrip {
  /** Every file of the system after fixing, by path. */
  files: Record<string, string>;
  /** The files that the fixes changed or created, by path. */
  changed: Record<string, string>;
  /** The findings left after fixing, of the rules that ran. */
  remaining: Finding[];
  /** The outcome of fixing the fixed system again. */
  second: FixOutcome;
}

/**
 * Fixes an in-memory system, then fixes the result once more. Only the rule named runs, or every
 * Gunicorn rule when none is named; unsafe fixes are applied unless `unsafe` is false.
 */
export function fixGunicorn(files: Record<string, string>, ruleId?: string, unsafe = true): RoundTrip {
  const options = { rules: rulesFor(ruleId), unsafe, existsOnDisk: () => false };
  const first = fixSystem(systemFromMemory(files), options);

  const changed: Record<string, string> = {};
  for (const change of first.changes) changed[change.relPath] = change.fixed.text;
  const fixed = { ...files, ...changed };

  return { files: fixed, changed, remaining: first.remaining, second: fixSystem(systemFromMemory(fixed), options) };
}

/** Returns the findings of one rule on an in-memory system, with their fixes. */
export function findingsOf(ruleId: string, files: Record<string, string>): Finding[] {
  return checkSystem(systemFromMemory(files), { rules: rulesFor(ruleId) }).findings;
}

/**
 * Asserts a round trip: the fixes change exactly the expected files to the expected text, the
 * rule no longer reports, and fixing the result again changes nothing.
 */
export function expectRoundTrip(ruleId: string, files: Record<string, string>, expected: Record<string, string>): void {
  const result = fixGunicorn(files, ruleId);

  expect(result.changed).toEqual(expected);
  expect(result.remaining.map((finding) => finding.ruleId)).not.toContain(ruleId);
  expect(result.second.changes).toEqual([]);
}

/** Asserts that the rule reports on the system and offers no fix. */
export function expectNoFix(ruleId: string, files: Record<string, string>): void {
  const findings = findingsOf(ruleId, files);

  expect(findings.length).toBeGreaterThan(0);
  expect(findings.map((finding) => finding.fix)).toEqual(findings.map(() => undefined));
}

/** Compiles Python source with `python3 -m py_compile` in a temporary folder and returns the exit status and error output. */
export function compilePython(source: string): { status: number | null; stderr: string } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-gunicorn-'));
  try {
    const sourcePath = path.join(folder, 'gunicorn.conf.py');
    fs.writeFileSync(sourcePath, source);
    const result = spawnSync(PYTHON, ['-m', 'py_compile', sourcePath], { encoding: 'utf8', timeout: 30_000 });
    return { status: result.status, stderr: result.stderr };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

function rulesFor(ruleId: string | undefined): readonly Rule[] {
  if (ruleId === undefined) return gunicornRules;

  const rule = findRule(ruleId);
  if (!rule) throw new Error(`No rule has the id \`${ruleId}\`.`);
  return [rule];
}
