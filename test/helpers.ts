import { checkSystem } from '../src/engine';
import { findRule } from '../rules';
import type { ExampleFile, Finding } from '../src/rule';
import type { SourceFile } from '../src/source';
import { systemFromMemory } from '../src/system';

/** A finding reduced to what rule tables compare: where it is and what it says. */
export interface FindingSummary {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  severity: string;
}

/** Checks an in-memory system with every rule, or only with the rules named. */
export function checkFiles(files: Record<string, ExampleFile>, ruleIds?: string[], dockerTarget?: string): Finding[] {
  const rules = ruleIds?.map((id) => {
    const rule = findRule(id);
    if (!rule) throw new Error(`No rule has the id \`${id}\`.`);
    return rule;
  });
  return checkSystem(systemFromMemory(files), { rules, dockerTarget }).findings;
}

/** Runs one rule on an in-memory system and returns its findings' rule, file, line, column and severity. */
export function ruleFindings(ruleId: string, files: Record<string, string>): FindingSummary[] {
  return checkFiles(files, [ruleId])
    .filter((finding) => finding.ruleId === ruleId)
    .map(({ ruleId: id, file, line, column, severity }) => ({ ruleId: id, file, line, column, severity }));
}

/** Returns the text with a common leading indentation removed, so tables can indent file contents. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common)).join('\n');
}

/**
 * Runs one rule on an in-memory system plus prepared source files, such as a UTF-16 file with a
 * BOM built with `createSourceFile`, and returns its findings as `ruleFindings` does.
 */
export function ruleFindingsWithSources(ruleId: string, files: Record<string, string>, sources: SourceFile[]): FindingSummary[] {
  const rule = findRule(ruleId);
  if (!rule) throw new Error(`No rule has the id \`${ruleId}\`.`);

  const input = systemFromMemory(files);
  input.files.push(...sources);
  return checkSystem(input, { rules: [rule] })
    .findings.filter((finding) => finding.ruleId === ruleId)
    .map(({ ruleId: id, file, line, column, severity }) => ({ ruleId: id, file, line, column, severity }));
}

/** Returns a xorshift32 generator of numbers in [0, 1): the same seed gives the same numbers on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}
