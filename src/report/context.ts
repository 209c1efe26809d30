import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FILE_SKIPPED_RULE, PARSE_ERROR_RULE } from '../engine';
import { SEVERITY_RANK, type Finding, type Fix, type Rule, type Severity } from '../rule';

/** Why a finding is not to be acted on: a suppression comment in the file, or a baseline or triage outside it. */
export interface FindingSuppression {
  kind: 'inSource' | 'external';
  justification?: string;
}

/**
 * A finding as the CI formatters read it. A `ReportedFinding` from `stylish.ts`, whose fix keeps
 * only its safety, is one; SARIF writes a fix only when its title and edits are there too. A
 * suppressed finding is still reported, marked as suppressed where the format can say so.
 */
export type CiFinding = Omit<Finding, 'fix'> & {
  fix?: Pick<Fix, 'safety'> & Partial<Pick<Fix, 'title' | 'edits' | 'newFiles'>>;
  suppression?: FindingSuppression;
};

/** One system's findings; a `ReportedSystem` from `stylish.ts` is one. */
export interface CiSystem {
  /** The system root relative to `CiFormatContext.cwd`, or absolute when it lies outside it. */
  displayRoot: string;
  /** Findings with `file` relative to the system root. */
  findings: readonly CiFinding[];
}

/**
 * The inputs of the CI formatters besides the findings. Every field is plain data or a lookup the
 * CLI already has, so the formatters read no files and stay pure.
 */
export interface CiFormatContext {
  /** The rules that ran, in the order reports list them (`allRules`). */
  rules: readonly Rule[];
  /** prodcheck's version, as `toolVersion()` returns it. */
  toolVersion: string;
  /** The absolute working folder that `displayRoot` is relative to. */
  cwd: string;
  /**
   * The absolute path of the repository root, the working folder when unset. Paths in the reports
   * are relative to it, because GitHub and GitLab match findings to files by that path.
   */
  repositoryRoot?: string;
  /**
   * Returns the decoded text that was checked (`SourceFile.text`, without a byte order mark) of a
   * file given relative to the system root, or undefined when the file was not read. Line hashes,
   * snippets and the positions of fix edits come from it.
   */
  fileText(system: CiSystem, file: string): string | undefined;
  /** Returns the files of the system that were checked, relative to its root; JUnit and Checkstyle list the clean ones too. */
  checkedFiles?(system: CiSystem): readonly string[];
  /** The lowest severity that fails the run, as `--fail-on` sets it; `error` when unset. */
  failOn?: Severity;
  /** The address of prodcheck's home page, for SARIF's `informationUri`; left out of the report when unset. */
  informationUri?: string;
  /**
   * The absolute address of the folder of rule pages, ending in `/`: a rule's page is
   * `<ruleDocsBaseUri><rule-id>.md`, the `docs/rules` folder of this repository. Links to rule
   * pages are left out when unset.
   */
  ruleDocsBaseUri?: string;
}

/**
 * Descriptions of the findings about files that could not be read or parsed, by rule id. The
 * engine reports them, not a rule, so the rule list does not describe them.
 */
export const FILE_PROBLEM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  [PARSE_ERROR_RULE]: 'A file could not be parsed, so the rules that read it did not check it',
  [FILE_SKIPPED_RULE]: 'A file could not be read, or was too large, so no rule checked it',
};

/** Rule ids of findings about files that could not be read or parsed. */
export const FILE_PROBLEM_RULES: ReadonlySet<string> = new Set(Object.keys(FILE_PROBLEM_DESCRIPTIONS));

/** A finding with its system and its path from the repository root, as every CI format needs them. */
export interface LocatedFinding {
  system: CiSystem;
  finding: CiFinding;
  /** The file's path from the repository root with `/` separators, or its absolute path when it lies outside the repository. */
  path: string;
  /** False when the file lies outside the repository root, so `path` is absolute. */
  inRepository: boolean;
}

/** Returns every finding of every system with its repository path, sorted by path, line, column, rule id and message. */
export function locateFindings(systems: readonly CiSystem[], context: CiFormatContext): LocatedFinding[] {
  const located: LocatedFinding[] = [];
  for (const system of systems) {
    for (const finding of system.findings) {
      located.push({ system, finding, ...repositoryPath(context, system, finding.file) });
    }
  }
  return located.sort(compareLocated);
}

/** Returns the path of a system's file from the repository root, or its absolute path when it lies outside the repository. */
export function repositoryPath(context: CiFormatContext, system: CiSystem, file: string): { path: string; inRepository: boolean } {
  const absolute = path.resolve(context.cwd, system.displayRoot, file);
  const root = path.resolve(context.cwd, context.repositoryRoot ?? '.');
  const relative = path.relative(root, absolute);

  if (relative === '') return { path: '.', inRepository: true };
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return { path: toSlashes(absolute), inRepository: false };
  return { path: toSlashes(relative), inRepository: true };
}

/** Returns the `file:` URL of the repository root, ending in `/`. */
export function repositoryRootUrl(context: CiFormatContext): string {
  const href = pathToFileURL(path.resolve(context.cwd, context.repositoryRoot ?? '.')).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** Returns a repository path as a relative URI reference: each segment percent-encoded, `/` kept. */
export function pathToUriReference(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}

/** Returns the address of a rule's page, or undefined when the context has no base address for rule pages. */
export function ruleDocsUri(context: CiFormatContext, ruleId: string): string | undefined {
  if (!context.ruleDocsBaseUri) return undefined;
  return `${context.ruleDocsBaseUri}${encodeURIComponent(ruleId)}.md`;
}

/** Orders findings by severity, most severe first, keeping the order of equal ones. */
export function bySeverity(a: LocatedFinding, b: LocatedFinding): number {
  return SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity];
}

function compareLocated(a: LocatedFinding, b: LocatedFinding): number {
  return (
    compareText(a.path, b.path) ||
    a.finding.line - b.finding.line ||
    a.finding.column - b.finding.column ||
    compareText(a.finding.ruleId, b.finding.ruleId) ||
    compareText(a.finding.message, b.finding.message)
  );
}

export function compareText(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function toSlashes(value: string): string {
  return value.split(path.sep).join('/');
}
