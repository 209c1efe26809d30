import { buildModel, type ModelOptions } from './model/build';
import type { ParseProblem, SystemModel } from './model/types';
import { allRules } from '../rules';
import { formatMessage, type Finding, type Rule, type Severity } from './rule';
import { positionAt, type Location } from './source';
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
}

export interface CheckResult {
  model: SystemModel;
  findings: Finding[];
}

/** Builds the model of one system and runs the rules on it. Findings come sorted by file and position. */
export function checkSystem(input: SystemInput, options: CheckOptions = {}): CheckResult {
  const model = buildModel(input, options);
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

  return { model, findings: sortFindings(dedupeFindings(findings)) };
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
