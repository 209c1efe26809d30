/**
 * Property tests on the sample systems in `fixtures/`. Seeded random mutations of their files
 * never make the checker throw, and every problem it meets comes out as a located finding. The
 * mutations delete, duplicate, swap or re-indent lines, insert random bytes or unbalanced brackets
 * and quotes, truncate files and flip line endings. Fixing each system with unsafe fixes adds no error, and a
 * second fix changes nothing. A failure names the seed and case; set PRODCHECK_PROPERTY_SEED to
 * run the same cases again.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../rules';
import { decodeBytes, encodeText } from '../src/decode';
import { discoverSystem, readSystemFile, type SkippedFile } from '../src/discovery';
import { checkSystem, PARSE_ERROR_RULE } from '../src/engine';
import { fixSystem, type FixOutcome } from '../src/fix/loop';
import { writeChanges } from '../src/fix/write';
import type { ParseProblem } from '../src/model/types';
import { defineRule, type Finding, type Rule } from '../src/rule';
import { createSourceFile, type SourceFile } from '../src/source';
import { systemFromMemory, type SystemInput } from '../src/system';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const SEED = Number(process.env.PRODCHECK_PROPERTY_SEED ?? 20261205) >>> 0;
/** Mutated systems checked per fixture; about 240 over the whole fixture set. */
const CHECKS_PER_FIXTURE = 22;
/** Mutated systems fixed per dev-grade fixture, each also fixed a second time. */
const FIXES_PER_FIXTURE = 6;
const SEVERITIES = ['error', 'warning', 'info'];
/** Text that unbalances brackets, quotes, YAML anchors, continuations and line ends. */
const FRAGMENTS = ['(', ')', '[', ']', '{', '}', '"', "'", '"""', "'''", '\\', '`', '#', '\t', '${', ':', '=', '&a ', '*a', '- ', '---', '-r ', '\ufeff', '\u00e9', '\u{1F600}', '\u2028', '\r', '\n'];

const fixtures = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const devFixtures = fixtures.filter((name) => name.startsWith('dev-'));

/** A xorshift32 generator: the same seed gives the same numbers on every machine. */
function seededRandom(seed: number): { next(): number; below(count: number): number; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  const below = (count: number): number => Math.floor(next() * count);
  return { next, below, pick: (items) => items[below(items.length)] };
}

type Random = ReturnType<typeof seededRandom>;

/** The seed of one case, mixed from the run's seed, the fixture and the case number. */
function caseSeed(fixture: string, index: number): number {
  let hash = SEED ^ Math.imul(index + 1, 0x9e3779b1);
  for (const char of fixture) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}

/** Applies one random text mutation and returns its description and the new text. */
function mutateText(text: string, random: Random): [string, string] {
  const lines = text.split('\n');
  const line = random.below(lines.length);
  const offset = random.below(text.length + 1);
  switch (random.below(8)) {
    case 0:
      lines.splice(line, 1);
      return [`line ${line + 1} deleted`, lines.join('\n')];
    case 1:
      lines.splice(line, 0, lines[line]);
      return [`line ${line + 1} duplicated`, lines.join('\n')];
    case 2: {
      const other = random.below(lines.length);
      [lines[line], lines[other]] = [lines[other], lines[line]];
      return [`lines ${line + 1} and ${other + 1} swapped`, lines.join('\n')];
    }
    case 3: {
      const fragment = random.pick(FRAGMENTS);
      return [`${JSON.stringify(fragment)} inserted at offset ${offset}`, text.slice(0, offset) + fragment + text.slice(offset)];
    }
    case 4: {
      const indent = random.pick(['', '  ', '    ', '\t', ' \t']);
      lines[line] = indent + lines[line].replace(/^[ \t]+/, '');
      return [`line ${line + 1} indented with ${JSON.stringify(indent)}`, lines.join('\n')];
    }
    case 5:
      return text.includes('\r\n') ? ['CRLF turned into LF', text.replace(/\r\n/g, '\n')] : ['LF turned into CRLF', text.replace(/\r?\n/g, '\r\n')];
    case 6:
      lines[line] += '\r';
      return [`lone CR at the end of line ${line + 1}`, lines.join('\n')];
    default: {
      const length = 1 + random.below(40);
      return [`${length} characters deleted at offset ${offset}`, text.slice(0, offset) + text.slice(offset + length)];
    }
  }
}

/** Applies one random mutation to a file's bytes, as encoded on disk, and returns its description and the bytes. */
function mutateFile(file: SourceFile, random: Random): [string, Buffer] {
  const bytes = encodeText(file.text, file.encoding, file.bom);
  const kind = random.below(10);
  if (kind === 0) {
    const inserted = Buffer.from(Array.from({ length: 1 + random.below(8) }, () => random.below(256)));
    const offset = random.below(bytes.length + 1);
    return [`bytes ${inserted.toString('hex')} inserted at byte ${offset}`, Buffer.concat([bytes.subarray(0, offset), inserted, bytes.subarray(offset)])];
  }
  if (kind === 1) {
    const length = random.below(bytes.length + 1);
    return [`truncated to ${length} bytes`, bytes.subarray(0, length)];
  }
  const [what, text] = mutateText(file.text, random);
  return [what, encodeText(text, file.encoding, file.bom)];
}

interface MutatedSystem {
  input: SystemInput;
  /** What was changed, one entry per mutation, for the failure message. */
  mutations: string[];
  /** Files read through `input.load`, such as requirements files included with `-r`. */
  loaded: Map<string, SourceFile>;
}

const fixtureFiles = new Map<string, { root: string; files: SourceFile[]; skipped: SkippedFile[] }>();

/** Reads a fixture once. Mutations replace its files with new ones and never change them. */
function readFixture(name: string): { root: string; files: SourceFile[]; skipped: SkippedFile[] } {
  const root = path.join(FIXTURES, name);
  if (!fixtureFiles.has(name)) {
    const discovered = discoverSystem(root);
    fixtureFiles.set(name, { root, files: discovered.files, skipped: discovered.skipped });
  }
  return fixtureFiles.get(name)!;
}

/** Applies one to three mutations to random files of a fixture, in memory. Files that no longer decode become skipped files. */
function mutateFixture(name: string, random: Random): MutatedSystem {
  const { root, files: original, skipped: originalSkipped } = readFixture(name);
  const files = [...original];
  const skipped = [...originalSkipped];
  const mutations: string[] = [];

  for (let count = 1 + random.below(3); count > 0 && files.length > 0; count--) {
    const index = random.below(files.length);
    const file = files[index];
    const [what, bytes] = mutateFile(file, random);
    mutations.push(`${file.relPath}: ${what}`);

    const decoded = decodeBytes(bytes);
    if (decoded.ok) {
      files[index] = createSourceFile(file.relPath, file.kind, decoded.value.text, decoded.value.encoding, decoded.value.bom);
    } else {
      files.splice(index, 1);
      skipped.push({ relPath: file.relPath, reason: decoded.reason });
    }
  }

  const byPath = new Map(files.map((file) => [file.relPath, file]));
  const loaded = new Map<string, SourceFile>();
  const input: SystemInput = {
    root,
    files,
    skipped,
    load: (relPath, kind) => {
      const read = byPath.get(relPath) ?? readSystemFile(root, relPath, kind);
      if ('text' in read) loaded.set(relPath, read);
      return read;
    },
  };
  return { input, mutations, loaded };
}

/** Lists what is wrong with the findings of a system: findings placed outside their file, and problems with no finding. */
function findingFaults(findings: readonly Finding[], problems: readonly ParseProblem[], system: MutatedSystem): string[] {
  const texts = new Map<string, SourceFile>([...system.loaded, ...system.input.files.map((file) => [file.relPath, file] as const)]);
  const skipped = new Set(system.input.skipped.map((file) => file.relPath));
  const faults: string[] = [];

  for (const finding of findings) {
    const where = `${finding.ruleId} at ${finding.file}:${finding.line}:${finding.column} [${finding.start}, ${finding.end})`;
    const file = texts.get(finding.file);
    if (!file && !skipped.has(finding.file)) faults.push(`${where}: not a file of the system`);
    if (file && !(finding.start >= 0 && finding.start <= finding.end && finding.end <= file.text.length)) faults.push(`${where}: outside the ${file.text.length} characters of the file`);
    if (finding.line < 1 || finding.column < 1 || finding.endLine < finding.line) faults.push(`${where}: invalid line or column`);
    if (!SEVERITIES.includes(finding.severity)) faults.push(`${where}: severity \`${finding.severity}\``);
    if (!finding.message.trim()) faults.push(`${where}: empty message`);
  }
  for (const problem of problems) {
    const reported = findings.some((finding) => finding.ruleId === PARSE_ERROR_RULE && finding.file === problem.location.file.relPath && finding.start === problem.location.start);
    if (!reported) faults.push(`parse problem in ${problem.location.file.relPath} at ${problem.location.start} has no finding: ${problem.message}`);
  }
  return faults;
}

function errorKeys(findings: readonly Finding[]): Set<string> {
  return new Set(findings.filter((finding) => finding.severity === 'error').map((finding) => `${finding.ruleId} in ${finding.file}`));
}

function newErrors(before: readonly Finding[], after: readonly Finding[]): string[] {
  const old = errorKeys(before);
  return after.filter((finding) => finding.severity === 'error' && !old.has(`${finding.ruleId} in ${finding.file}`)).map((finding) => `${finding.ruleId} at ${finding.file}:${finding.line}: ${finding.message}`);
}

/** Returns the system after a fix, in memory: the input's files with the changed ones replaced and the created ones added. */
function fixedInput(input: SystemInput, outcome: FixOutcome): SystemInput {
  const files = new Map(input.files.map((file) => [file.relPath, file]));
  for (const change of outcome.changes) files.set(change.relPath, change.fixed);
  return { ...input, files: [...files.values()], load: (relPath, kind) => files.get(relPath) ?? input.load(relPath, kind) };
}

function fixInput(input: SystemInput, existsOnDisk: (relPath: string) => boolean): FixOutcome {
  return fixSystem(input, { rules: allRules, unsafe: true, existsOnDisk });
}

function diskInput(root: string): SystemInput {
  const discovered = discoverSystem(root);
  return { root, files: discovered.files, skipped: discovered.skipped, load: (relPath, kind) => readSystemFile(root, relPath, kind) };
}

function copyFixture(name: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `prodcheck-property-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), folder, { recursive: true });
  return folder;
}

function describeFindings(findings: readonly Finding[]): string[] {
  return findings.map((finding) => `${finding.ruleId} at ${finding.file}:${finding.line}:${finding.column}`);
}

describe.each(fixtures)('fixture %s', (name) => {
  test('mutations never crash checker', () => {
    for (let index = 0; index < CHECKS_PER_FIXTURE; index++) {
      const seed = caseSeed(name, index);
      const system = mutateFixture(name, seededRandom(seed));
      const context = `PRODCHECK_PROPERTY_SEED=${SEED}, case ${index} (case seed ${seed}): ${system.mutations.join('; ')}`;

      let result: ReturnType<typeof checkSystem>;
      try {
        result = checkSystem(system.input);
      } catch (error) {
        throw new Error(`checkSystem threw on ${context}:\n${error instanceof Error ? error.stack : String(error)}`);
      }
      const model = result.model;
      const problems = [...model.python.problems, ...model.docker.problems, ...(model.gunicorn.problems ?? []), ...model.requirements.problems, ...model.yaml.problems];
      expect({ context, faults: findingFaults(result.findings, problems, system) }).toEqual({ context, faults: [] });
    }
  });

  test('unsafe fix adds no error', () => {
    const folder = copyFixture(name);
    try {
      const before = checkSystem(diskInput(folder)).findings;
      const outcome = fixInput(diskInput(folder), (relPath) => fs.existsSync(path.join(folder, relPath)));
      const written = writeChanges(folder, outcome.changes);
      const after = checkSystem(diskInput(folder)).findings;

      expect(written.failed).toEqual([]);
      expect(newErrors(before, after)).toEqual([]);
      // The files read back from disk give the findings the fix loop computed in memory.
      expect(describeFindings(after)).toEqual(describeFindings(outcome.remaining));

      const second = fixInput(diskInput(folder), (relPath) => fs.existsSync(path.join(folder, relPath)));
      expect(second.changes.map((change) => change.relPath)).toEqual([]);
      expect(describeFindings(second.applied)).toEqual([]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe.each(devFixtures)('mutated fixture %s', (name) => {
  test('fix adds no error, then stays', () => {
    for (let index = 0; index < FIXES_PER_FIXTURE; index++) {
      const seed = caseSeed(`fix ${name}`, index);
      const system = mutateFixture(name, seededRandom(seed));
      const context = `PRODCHECK_PROPERTY_SEED=${SEED}, fix case ${index} (case seed ${seed}): ${system.mutations.join('; ')}`;
      const present = new Set([...system.input.files, ...system.input.skipped].map((file) => file.relPath));
      const existsOnDisk = (relPath: string): boolean => present.has(relPath) || fs.existsSync(path.join(system.input.root, relPath));

      const before = checkSystem(system.input).findings;
      const outcome = fixInput(system.input, existsOnDisk);
      expect({ context, newErrors: newErrors(before, outcome.remaining) }).toEqual({ context, newErrors: [] });

      const fixed = fixedInput(system.input, outcome);
      const second = fixInput(fixed, (relPath) => fixed.files.some((file) => file.relPath === relPath) || existsOnDisk(relPath));
      expect({ context, secondFix: describeFindings(second.applied) }).toEqual({ context, secondFix: [] });
    }
  });

  test('CRLF system fixed in CRLF', () => {
    const folder = copyFixture(name);
    try {
      for (const file of discoverSystem(folder).files) {
        fs.writeFileSync(path.join(folder, file.relPath), encodeText(file.text.replace(/\r?\n/g, '\r\n'), file.encoding, file.bom));
      }
      writeChanges(folder, fixInput(diskInput(folder), (relPath) => fs.existsSync(path.join(folder, relPath))).changes);

      const mixed = discoverSystem(folder)
        .files.filter((file) => /(^|[^\r])\n/.test(file.text))
        .map((file) => `${file.relPath}: ${file.text.split('\n').filter((line) => !line.endsWith('\r')).length - 1} lines end in LF`);
      expect(mixed).toEqual([]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('fix loop', () => {
  /** Builds a rule for these tests only: it reports the first match of `pattern` in each Python file, with a fix that writes `replacement(match)` over it. */
  function replacing(id: string, pattern: RegExp, replacement: (match: RegExpExecArray) => string): Rule {
    return defineRule({
      meta: {
        id,
        area: 'python',
        description: 'Test rule that rewrites a pattern',
        severity: 'error',
        fixable: 'safe',
        messages: { found: 'Found the pattern.' },
        docs: { whatItDoes: 'x', whyItMatters: 'x', examples: { bad: {}, good: {} }, useInstead: 'x' },
      },
      check(model, context) {
        for (const file of model.files) {
          const match = pattern.exec(file.text);
          if (!match) continue;
          const edit = { file: file.relPath, start: match.index, end: match.index + match[0].length, text: replacement(match) };
          context.report({ messageId: 'found', location: { file, start: edit.start, end: edit.end }, fix: { title: 'Rewrite', safety: 'safe', edits: [edit] } });
        }
      },
    });
  }

  test('failed fix reported once', () => {
    // The first rule's fix breaks the syntax and is undone. The second rule's fix takes three passes.
    const breaking = replacing('test-breaking-fix', /old/, () => 'new" +');
    const counting = replacing('test-counting-fix', /n = [0-2]\b/, (match) => `n = ${Number(match[0].slice(4)) + 1}`);
    const outcome = fixSystem(systemFromMemory({ 'main.py': 'x = "old"\n', 'count.py': 'n = 0\n' }), { rules: [breaking, counting], unsafe: false, existsOnDisk: () => false });

    expect(outcome.changes.map((change) => change.fixed.text)).toEqual(['n = 3\n']);
    expect(outcome.failed.map((failure) => `${failure.finding.ruleId}: ${failure.reason}`)).toEqual(['test-breaking-fix: the fixed file `main.py` no longer parses, so the fix was undone']);
  });

  test('file with syntax error not edited', () => {
    const counting = replacing('test-counting-fix', /n = [0-2]\b/, (match) => `n = ${Number(match[0].slice(4)) + 1}`);
    const files = { 'broken.py': 'n = 0\ndef unfinished(:\n', 'count.py': 'n = 0\n' };
    const outcome = fixSystem(systemFromMemory(files), { rules: [counting], unsafe: false, existsOnDisk: () => false });

    expect(outcome.changes.map((change) => `${change.relPath}: ${change.fixed.text}`)).toEqual(['count.py: n = 3\n']);
    expect(outcome.failed.map((failure) => `${failure.finding.file}: ${failure.reason}`)).toEqual(['broken.py: `broken.py` has a Python syntax error, so prodcheck did not apply the fix that edits it']);
  });
});
