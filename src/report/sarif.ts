import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { renderRulePage } from '../docs';
import type { Fix, Rule, Severity } from '../rule';
import {
  FILE_PROBLEM_DESCRIPTIONS,
  FILE_PROBLEM_RULES,
  locateFindings,
  pathToUriReference,
  repositoryPath,
  repositoryRootUrl,
  ruleDocsUri,
  type CiFinding,
  type CiFormatContext,
  type CiSystem,
  type LocatedFinding,
} from './context';
import { createTextLookup, type TextLines } from './fingerprint';

/** The schema address GitHub's SARIF documentation uses for version 2.1.0. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The base id that repository-relative URIs name; `originalUriBaseIds` maps it to the repository root. */
export const SOURCE_ROOT_ID = '%SRCROOT%';

const LEVELS: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note' };

type TextLookup = (system: CiSystem, file: string) => TextLines | undefined;

/**
 * Formats findings as a SARIF 2.1.0 log with one run, in the subset GitHub code scanning reads.
 * The run lists every rule with its help, and has a result per finding with a `%SRCROOT%`-relative
 * location, a line hash, its fix and its suppression. Files that could not be read or parsed
 * become tool notifications instead of results.
 */
export function formatSarif(systems: readonly CiSystem[], context: CiFormatContext): string {
  const ruleIndex = new Map(context.rules.map((rule, index) => [rule.meta.id, index]));
  const problemIds = [...FILE_PROBLEM_RULES];
  const textOf = createTextLookup(context);
  const results: Sarif.Result[] = [];
  const notifications: Sarif.Notification[] = [];

  for (const located of locateFindings(systems, context)) {
    const { finding } = located;
    if (FILE_PROBLEM_RULES.has(finding.ruleId)) {
      notifications.push({
        descriptor: { id: finding.ruleId, index: problemIds.indexOf(finding.ruleId) },
        level: LEVELS[finding.severity],
        message: { text: finding.message },
        locations: [physicalLocation(located, textOf)],
      });
      continue;
    }
    results.push(toResult(located, ruleIndex.get(finding.ruleId), textOf, context));
  }

  const driver: Sarif.ToolComponent = {
    name: 'prodcheck',
    version: context.toolVersion,
    ...(isSemanticVersion(context.toolVersion) ? { semanticVersion: context.toolVersion } : {}),
    ...(context.informationUri ? { informationUri: context.informationUri } : {}),
    rules: context.rules.map((rule) => ruleDescriptor(rule, context)),
    notifications: problemIds.map((id) => ({ id, shortDescription: { text: `${FILE_PROBLEM_DESCRIPTIONS[id]}.` } })),
  };

  const run: Sarif.Run = {
    tool: { driver },
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
    originalUriBaseIds: { [SOURCE_ROOT_ID]: { uri: repositoryRootUrl(context) } },
    columnKind: 'utf16CodeUnits',
    results,
  };
  const log: Sarif.Log = { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(rule: Rule, context: CiFormatContext): Sarif.ReportingDescriptor {
  const { meta } = rule;
  const helpUri = ruleDocsUri(context, meta.id);
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: `${meta.description}.` },
    fullDescription: { text: meta.docs.whatItDoes },
    help: {
      text: [`${meta.description}.`, meta.docs.whatItDoes, `Why it matters: ${meta.docs.whyItMatters}`, `Use instead: ${meta.docs.useInstead}`].join('\n\n'),
      markdown: renderRulePage(rule),
    },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: LEVELS[meta.severity] },
    properties: { tags: [meta.area], fixable: meta.fixable },
  };
}

function toResult(located: LocatedFinding, ruleIndex: number | undefined, textOf: TextLookup, context: CiFormatContext): Sarif.Result {
  const { system, finding } = located;
  const lines = textOf(system, finding.file);
  const result: Sarif.Result = {
    ruleId: finding.ruleId,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: LEVELS[finding.severity],
    message: { text: finding.message },
    locations: [physicalLocation(located, textOf)],
  };

  if (lines) result.partialFingerprints = { primaryLocationLineHash: lines.lineHash(finding.line) };
  if (isFullFix(finding.fix)) result.fixes = [toFix(finding.fix, system, textOf, context)];
  if (finding.suppression) result.suppressions = [suppressionOf(finding)];
  return result;
}

function physicalLocation(located: LocatedFinding, textOf: TextLookup): Sarif.Location {
  const { system, finding } = located;
  const lines = textOf(system, finding.file);
  const region: Sarif.Region = {
    startLine: finding.line,
    startColumn: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
  };
  const physical: Sarif.PhysicalLocation = { artifactLocation: artifactLocation(located.path, located.inRepository), region };

  if (lines) {
    const spanned = lines.text.slice(finding.start, finding.end);
    if (spanned) region.snippet = { text: spanned };
    physical.contextRegion = { startLine: finding.line, endLine: finding.endLine, snippet: { text: lines.lines(finding.line, finding.endLine) } };
  }
  return { physicalLocation: physical };
}

function artifactLocation(path: string, inRepository: boolean): Sarif.ArtifactLocation {
  if (!inRepository) return { uri: pathToFileURL(path).href };
  return { uri: pathToUriReference(path), uriBaseId: SOURCE_ROOT_ID };
}

/** Converts a fix's offset edits into SARIF replacements, one artifact change per file in the order the fix names them. */
function toFix(fix: Fix, system: CiSystem, textOf: TextLookup, context: CiFormatContext): Sarif.Fix {
  const changes = new Map<string, Sarif.Replacement[]>();
  const replacementsOf = (file: string): Sarif.Replacement[] => {
    const existing = changes.get(file);
    if (existing) return existing;
    const created: Sarif.Replacement[] = [];
    changes.set(file, created);
    return created;
  };

  for (const edit of [...fix.edits].sort((a, b) => a.start - b.start)) {
    const lines = textOf(system, edit.file);
    replacementsOf(edit.file).push({ deletedRegion: deletedRegion(lines, edit.start, edit.end), insertedContent: { text: edit.text } });
  }
  for (const created of fix.newFiles ?? []) {
    replacementsOf(created.file).push({
      deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      insertedContent: { text: created.content },
    });
  }

  return {
    description: { text: fix.title },
    artifactChanges: [...changes].map(([file, replacements]) => {
      const { path, inRepository } = repositoryPath(context, system, file);
      return { artifactLocation: artifactLocation(path, inRepository), replacements };
    }),
    properties: { safety: fix.safety },
  };
}

/** Returns the region an edit replaces by line and column, or by offset and length when the file's text is not available. */
function deletedRegion(lines: TextLines | undefined, start: number, end: number): Sarif.Region {
  if (!lines) return { charOffset: start, charLength: Math.max(0, end - start) };

  const from = lines.position(start);
  const to = lines.position(Math.max(start, end));
  return { startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column };
}

/** True when the fix has its title and edits, not only its safety as findings posted between threads keep it. */
function isFullFix(fix: CiFinding['fix']): fix is Fix {
  return fix !== undefined && fix.title !== undefined && fix.edits !== undefined;
}

function suppressionOf(finding: CiFinding): Sarif.Suppression {
  const suppression = finding.suppression!;
  return {
    kind: suppression.kind,
    status: 'accepted',
    ...(suppression.justification ? { justification: suppression.justification } : {}),
  };
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function isSemanticVersion(version: string): boolean {
  return /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(version);
}
