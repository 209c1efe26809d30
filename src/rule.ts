import type { SystemModel } from './model/types';
import type { Location, TextEncoding } from './source';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export type RuleArea = 'python' | 'gunicorn' | 'dockerfile' | 'requirements' | 'config' | 'system' | 'suppression';

export type FixSafety = 'safe' | 'unsafe';

/** Replaces `[start, end)` of `file` (a path relative to the system root) with `text`. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  text: string;
}

/** A file a fix creates; the fix is skipped when the file already exists. */
export interface NewFile {
  file: string;
  content: string;
}

export interface Fix {
  /** An imperative title: "Add `USER 10001` before `CMD`". */
  title: string;
  safety: FixSafety;
  edits: TextEdit[];
  newFiles?: NewFile[];
}

/** The documentation of a rule, in the fixed sections every rule page has. */
/** The content of a file in a rule's example: UTF-8 text, or text saved in another encoding. */
export type ExampleFile = string | { text: string; encoding: TextEncoding; bom: boolean };

export interface RuleDocs {
  whatItDoes: string;
  whyItMatters: string;
  /**
   * Systems that show the rule: each `bad` system must report the rule and each `good` one
   * must not. Keys are paths relative to the system root.
   */
  examples: { bad: Record<string, ExampleFile>; good: Record<string, ExampleFile> };
  useInstead: string;
  fixSafety?: string;
  options?: string;
  knownLimitations?: string;
}

export interface RuleMeta<M extends string = string> {
  id: string;
  area: RuleArea;
  description: string;
  severity: Severity;
  fixable: FixSafety | 'none';
  /** True for rules that read facts from more than one file, which single-file linters cannot check. */
  spansFiles?: boolean;
  /** Message templates; `{{name}}` is replaced with `data.name` when reported. */
  messages: Record<M, string>;
  docs: RuleDocs;
  /**
   * The options the rule reads from `RuleContext.options`, by name. The configuration file rejects
   * options of a rule that has none, names not listed here and values that do not match.
   */
  optionsSchema?: Record<string, RuleOptionSchema>;
}

/**
 * The JSON Schema (draft-07) of one rule option, in the subset the configuration loader checks: a
 * type, bounds for numbers, a pattern for strings, and for a mapping the pattern of its keys and
 * the schema of its values. The JSON Schema of `.prodcheck.yaml` embeds it unchanged.
 */
export interface RuleOptionSchema {
  type: 'integer' | 'number' | 'string' | 'boolean' | 'object';
  description?: string;
  minimum?: number;
  maximum?: number;
  /** A regular expression (JavaScript syntax, no flags) that a string must match. */
  pattern?: string;
  /** For `object`: the pattern every key must match. */
  propertyNames?: { pattern: string };
  /** For `object`: the schema of every value. */
  additionalProperties?: RuleOptionSchema;
}

export interface ReportDescriptor<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  location: Location;
  fix?: Fix;
  /** Overrides the rule's default severity for this finding, for rules whose severity depends on the case. */
  severity?: Severity;
}

export interface RuleContext<M extends string = string> {
  report(descriptor: ReportDescriptor<M>): void;
  /** Options for this rule from the configuration, empty when none are set. */
  options: Record<string, unknown>;
}

export interface Rule<M extends string = string> {
  meta: RuleMeta<M>;
  check(model: SystemModel, context: RuleContext<M>): void;
}

export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

/** A finding as formatters and tests see it: 1-based lines and columns, path relative to the system root. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: Fix;
  /** Offsets kept for fixes and fingerprints. */
  start: number;
  end: number;
}

export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) =>
    name in data ? String(data[name]) : match,
  );
}
