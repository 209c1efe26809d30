import { buildModel, type ModelOptions } from './model/build';
import type { ParseProblem, SystemModel } from './model/types';
import { allRules } from '../rules';
import { formatMessage, type Finding, type Rule, type Severity } from './rule';
import { positionAt, type Location, type SourceFile } from './source';
import { applySuppressions } from './suppressions';
import type { SystemInput } from './system';
import { createLogger } from './log';

const log = createLogger('engine');

/** Rule id of findings for files that could not be parsed. */
export const PARSE_ERROR_RULE = 'parse-error';
/** Rule id of findings for files that could not be read. */
export const FILE_SKIPPED_RULE = 'file-skipped';

export interface CheckOptions extends ModelOptions {
  /** The rules to run; all rules when unset. */
  rules?: readonly Rule[];
  /** Severity per rule id, or `off` to disable a rule. */
  severities?: ReadonlyMap<string, Severity | 'off'>;
  ruleOptions?: ReadonlyMap<string, Record<string, unknown>>;
  /** True when `per-file-ignores` turns a rule off for a file (a path relative to the system root); such findings are dropped. */
  ignoresFinding?: (relPath: string, ruleId: string) => boolean;
  /** Report suppression comments that give no reason after `--` as `suppression-invalid`. */
  requireReason?: boolean;
}

/** A finding silenced by a `# prodcheck: ignore[...]` comment, with the comment's reason. */
export interface SuppressedFinding {
  finding: Finding;
  justification: string | null;
}

export interface CheckResult {
  model: SystemModel;
  /** The findings to report and to fix. */
  findings: Finding[];
  /** Findings silenced by suppression comments: not fixed and not counted, but kept for formats that list them (SARIF). */
  suppressed: SuppressedFinding[];
}

/** Builds the model of one system and runs the rules on it. Findings come sorted by file and position. */
export function checkSystem(input: SystemInput, options: CheckOptions = {}): CheckResult {
  const loaded = new Map<string, SourceFile>();
  const model = buildModel(recordingLoads(input, loaded), options);
  const findings: Finding[] = [];

  for (const skipped of input.skipped) {
    findings.push({
      ruleId: FILE_SKIPPED_RULE,
      severity: 'warning',
      message: `\`${skipped.relPath}\` ${skipped.reason}.`,
      file: skipped.relPath,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      start: 0,
      end: 0,
    });
  }

  for (const problem of collectProblems(model)) {
    findings.push(toFinding(PARSE_ERROR_RULE, 'error', problem.message, problem.location));
  }

  for (const rule of options.rules ?? allRules) {
    const configured = options.severities?.get(rule.meta.id);
    if (configured === 'off') continue;

    const started = Date.now();
    rule.check(model, {
      options: options.ruleOptions?.get(rule.meta.id) ?? {},
      report(descriptor) {
        const template = rule.meta.messages[descriptor.messageId];
        const severity = configured ?? descriptor.severity ?? rule.meta.severity;
        const finding = toFinding(rule.meta.id, severity, formatMessage(template, descriptor.data), descriptor.location);
        if (descriptor.fix) finding.fix = descriptor.fix;
        findings.push(finding);
      },
    });
    log('%s took %d ms', rule.meta.id, Date.now() - started);
  }

  const silenced = silenceFindings(dedupeFindings(findings), input, loaded, model, options);
  return { model, findings: sortFindings(silenced.findings), suppressed: silenced.suppressed };
}

/** Returns the input with a loader that also records each file it reads into `loaded`. */
function recordingLoads(input: SystemInput, loaded: Map<string, SourceFile>): SystemInput {
  return {
    ...input,
    load: (relPath, kind) => {
      const file = input.load(relPath, kind);
      if ('text' in file) loaded.set(file.relPath, file);
      return file;
    },
  };
}

/**
 * Drops the findings that `per-file-ignores` turns off, then applies the suppression comments of
 * the system's files and of the files it read through includes. Findings about the comments
 * themselves are added when their rule is among the rules run and not turned off.
 */
function silenceFindings(
  findings: Finding[],
  input: SystemInput,
  loaded: ReadonlyMap<string, SourceFile>,
  model: SystemModel,
  options: CheckOptions,
): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const ignores = options.ignoresFinding;
  const kept = ignores ? findings.filter((finding) => !ignores(finding.file, finding.ruleId)) : findings;

  const ownFiles = new Set(input.files.map((file) => file.relPath));
  const unparsed = new Set(collectProblems(model).map((problem) => problem.location.file.relPath));
  const files = [...input.files, ...[...loaded.values()].filter((file) => !ownFiles.has(file.relPath))];
  const result = applySuppressions(kept, files, knownRuleIds(), {
    requireReason: options.requireReason,
    // NOTE: a rule left out of `options.rules` still counts as on, so a check of some rules only
    // (tests) reports the comments of the other rules as unused when `suppression-unused` runs.
    isRuleOn: (ruleId, relPath) => options.severities?.get(ruleId) !== 'off' && !ignores?.(relPath, ruleId),
    reportsUnusedIn: (relPath) => ownFiles.has(relPath) && !unparsed.has(relPath),
  });

  const rulesRun = new Set((options.rules ?? allRules).map((rule) => rule.meta.id));
  const problems: Finding[] = [];
  for (const problem of result.problems) {
    const configured = options.severities?.get(problem.ruleId);
    if (!rulesRun.has(problem.ruleId) || configured === 'off' || ignores?.(problem.file, problem.ruleId)) continue;
    problems.push(configured ? { ...problem, severity: configured } : problem);
  }
  return { findings: [...result.kept, ...problems], suppressed: result.suppressed };
}

let ruleIdSet: ReadonlySet<string> | null = null;

/** Returns the ids a suppression comment may name: every rule, whether or not it runs. */
function knownRuleIds(): ReadonlySet<string> {
  ruleIdSet ??= new Set(allRules.map((rule) => rule.meta.id));
  return ruleIdSet;
}

function collectProblems(model: SystemModel): ParseProblem[] {
  return [
    ...model.python.problems,
    ...model.docker.problems,
    ...(model.gunicorn.problems ?? []),
    ...model.requirements.problems,
    ...model.yaml.problems,
  ];
}

export function toFinding(ruleId: string, severity: Severity, message: string, location: Location): Finding {
  const start = positionAt(location.file, location.start);
  const end = positionAt(location.file, Math.max(location.end, location.start));
  return {
    ruleId,
    severity,
    message,
    file: location.file.relPath,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    start: location.start,
    end: location.end,
  };
}

/** Drops findings that repeat the same rule, place and message, such as one file reached twice through includes. */
function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.ruleId}\u0000${finding.file}\u0000${finding.start}\u0000${finding.end}\u0000${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.message, b.message),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
