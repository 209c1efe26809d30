import type Parser from 'tree-sitter';
import type { GunicornSetting, SystemModel } from '../model/types';
import { parsePython } from '../parsers/python';
import type { TextEdit } from '../rule';
import { lineStarts, positionAt, type SourceFile } from '../source';
import { addImports } from './python-edits';

/**
 * The worker count: `WEB_CONCURRENCY` when set, else twice the CPUs plus one, at most 8, because
 * `cpu_count()` counts the host's CPUs rather than the container's limit.
 */
export const WORKERS_EXPRESSION = 'int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))';

/** bandit (B108) and ruff (S108) flag the literal "/dev/shm" as an insecure temporary folder. */
export const TMP_DIR_SUPPRESSION = '# noqa: S108  # nosec B108';

export const WORKER_TMP_DIR_LINE = `worker_tmp_dir = "/dev/shm"  ${TMP_DIR_SUPPRESSION}`;

/** Returns the `bind` expression: all interfaces, on `PORT` when the environment sets it, else on `port`. */
export function bindExpression(port: number): string {
  return `f"0.0.0.0:{os.environ.get('PORT', '${port}')}"`;
}

/** The facts of the system that the generated config depends on. */
export interface ConfigTemplate {
  port: number;
  gracefulTimeout: number;
  /** The stop grace period that `graceful_timeout` stays under, for the comment: seconds and where it is set. */
  gracePeriod: { seconds: number; source: string };
  /** Adds a `child_exit` hook that removes a dead worker's files of prometheus_client's multiprocess mode. */
  prometheus: boolean;
}

/** Renders a production `gunicorn.conf.py` that every Gunicorn rule accepts. */
export function renderGunicornConfig(template: ConfigTemplate): string {
  const lines = [
    '"""Gunicorn settings for a container. Environment variables override the defaults."""',
    '',
    'import multiprocessing',
    'import os',
    '',
  ];
  if (template.prometheus) {
    lines.push(
      '# Imported when the config loads, not in child_exit, which runs in the master\'s SIGCHLD handler.',
      'import prometheus_client.multiprocess',
      '',
    );
  }

  lines.push(
    bindLine(template.port),
    '# The fallback is capped because cpu_count() counts the host\'s CPUs, not the container\'s.',
    `workers = ${WORKERS_EXPRESSION}`,
    'worker_class = "sync"',
    '',
    '# Restart each worker after 1000 to 1100 requests, at different times, to bound memory leaks.',
    'max_requests = 1000',
    'max_requests_jitter = 100',
    '',
    'timeout = 30',
    `# Shorter than the ${formatSeconds(template.gracePeriod.seconds)} s stop grace period (${template.gracePeriod.source}), so workers finish first.`,
    `graceful_timeout = ${template.gracefulTimeout}`,
    '# Sync workers ignore this because they close each connection after the response.',
    'keepalive = 5',
    '',
    '# Heartbeat files in memory: on the container\'s overlay filesystem they can stall workers.',
    WORKER_TMP_DIR_LINE,
    '',
    'accesslog = "-"',
    'errorlog = "-"',
  );

  if (template.prometheus) {
    lines.push(
      '',
      '',
      'def child_exit(server, worker):',
      '    """Remove the live gauge files of a worker that exited (prometheus_client multiprocess mode)."""',
      '    # mark_process_dead reads PROMETHEUS_MULTIPROC_DIR and raises when it is unset.',
      '    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):',
      '        prometheus_client.multiprocess.mark_process_dead(worker.pid)',
    );
  }
  return `${lines.join('\n')}\n`;
}

export function bindLine(port: number): string {
  return `bind = ${bindExpression(port)}`;
}

function formatSeconds(seconds: number): string {
  return Number.isInteger(seconds) ? String(seconds) : String(Math.round(seconds * 1000) / 1000);
}

// ---------------------------------------------------------------------------------------------
// Editing an existing config file

const parsedConfigs = new WeakMap<SourceFile, Parser.Tree>();

/**
 * Returns the syntax tree of a config file: the one the model read its settings from, the Python
 * model's for a config that is also a module, else a parse of its own, kept per file.
 */
export function configTree(model: SystemModel, file: SourceFile): Parser.Tree {
  for (const setting of model.gunicorn.settings.values()) {
    if (setting.source === 'config' && setting.node && setting.location?.file === file) return setting.node.tree;
  }

  const module = model.python.modules.find((candidate) => candidate.file === file);
  if (module) return module.tree;

  let tree = parsedConfigs.get(file);
  if (!tree) {
    tree = parsePython(file).tree;
    parsedConfigs.set(file, tree);
  }
  return tree;
}

/**
 * Replaces the value of a config-file assignment (`timeout = 0`). Returns null when the setting
 * is not assigned in the config file, when the value contains a comment, and for augmented
 * (`workers += 1`) and chained (`timeout = graceful_timeout = 0`) assignments, whose new value
 * would change more than the setting.
 */
export function replaceConfigValue(setting: GunicornSetting, text: string): TextEdit | null {
  const node = setting.node;
  if (setting.source !== 'config' || !node || !setting.location) return null;
  if (!isPlainAssignmentValue(node) || node.descendantsOfType('comment').length > 0) return null;

  return { file: setting.location.file.relPath, start: node.startIndex, end: node.endIndex, text };
}

/** True for the right-hand side of `name = value`, or for one value of `a, name = 1, value`. */
function isPlainAssignmentValue(node: Parser.SyntaxNode): boolean {
  const parent = node.parent;
  const assignment = parent?.type === 'expression_list' ? parent.parent : parent;
  if (assignment?.type !== 'assignment' || assignment.parent?.type === 'assignment') return false;

  const right = assignment.childForFieldName('right');
  if (!right) return false;
  return parent?.type === 'expression_list' ? right.startIndex === parent.startIndex : right.startIndex === node.startIndex;
}

/**
 * Adds lines at the end of the module-level settings: after the last top-level statement that is
 * not a function or class, so the lines come before server hooks that follow the settings, and at
 * the end of the file otherwise.
 */
export function appendConfigLines(tree: Parser.Tree, file: SourceFile, lines: readonly string[]): TextEdit {
  const text = lines.map((line) => `${line}\n`).join('');
  const statements = tree.rootNode.namedChildren.filter((child) => child.type !== 'comment');
  const lastSetting = findLastIndex(statements, (statement) => !isDefinition(statement));
  const definitionFollows = lastSetting >= 0 && statements.slice(lastSetting + 1).some(isDefinition);

  if (definitionFollows) {
    const offset = nextLineStart(file, statements[lastSetting].endIndex);
    return { file: file.relPath, start: offset, end: offset, text };
  }

  // After a function at the end of the file, two blank lines keep the settings apart from its body.
  const end = file.text.length;
  const needsBreak = end > 0 && !/[\r\n]$/.test(file.text);
  const endsWithDefinition = statements.length > 0 && isDefinition(statements[statements.length - 1]);
  const blankLines = endsWithDefinition ? Math.max(0, 2 - trailingBlankLines(file.text)) : 0;
  return { file: file.relPath, start: end, end, text: `${needsBreak ? '\n' : ''}${'\n'.repeat(blankLines)}${text}` };
}

function trailingBlankLines(text: string): number {
  const lines = text.split(/\r\n|\n|\r/);
  let count = 0;
  for (let i = lines.length - 2; i >= 0 && lines[i].trim() === ''; i--) count++;
  return count;
}

function isDefinition(statement: Parser.SyntaxNode): boolean {
  return statement.type === 'function_definition' || statement.type === 'class_definition' || statement.type === 'decorated_definition';
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) {
    if (predicate(items[i])) return i;
  }
  return -1;
}

/** Returns the offset where the line after the one holding `offset` starts, or the end of the file. */
function nextLineStart(file: SourceFile, offset: number): number {
  const starts = lineStarts(file);
  const { line } = positionAt(file, offset);
  return line < starts.length ? starts[line] : file.text.length;
}

/**
 * Adds `import name` for each module the config file does not import at top level, each in its
 * section in sorted order, as `ensureImport` places imports in a module. Returns no edit when all
 * are imported.
 */
export function configImports(tree: Parser.Tree, file: SourceFile, modules: readonly string[]): TextEdit[] {
  const imported = topLevelImports(tree);
  const missing = modules.filter((name) => !imported.has(name.split('.')[0]) || !importsModule(tree, file, name));
  if (missing.length === 0) return [];

  const edits = addImports({ tree, file }, missing.map((name) => ({ module: name, name: null })));
  // A new import block gets a blank line before the code that follows it.
  const startsBlock = !hasImportStatement(tree);
  return edits.map((edit) => (startsBlock && /^[^\r\n]/.test(file.text.slice(edit.end)) ? { ...edit, text: `${edit.text}\n` } : edit));
}

/** True when a top-level `import` statement names the dotted module itself (`import prometheus_client.multiprocess`). */
function importsModule(tree: Parser.Tree, file: SourceFile, name: string): boolean {
  if (!name.includes('.')) return true;
  return tree.rootNode.namedChildren.some(
    (statement) => statement.type === 'import_statement' && statement.namedChildren.some((child) => child.type === 'dotted_name' && file.text.slice(child.startIndex, child.endIndex) === name),
  );
}

function hasImportStatement(tree: Parser.Tree): boolean {
  return tree.rootNode.namedChildren.some((statement) => statement.type === 'import_statement' || statement.type === 'import_from_statement');
}

/** Returns the module names that top-level `import x` and `import x.y` statements bind (`x`); aliased imports bind another name. */
function topLevelImports(tree: Parser.Tree): Set<string> {
  const names = new Set<string>();
  for (const statement of tree.rootNode.namedChildren) {
    if (statement.type !== 'import_statement') continue;
    for (const child of statement.namedChildren) {
      if (child.type === 'dotted_name') names.add(child.text.split('.')[0]);
    }
  }
  return names;
}

/**
 * Joins insertions at the same offset into one edit, in the order given. The fix applier puts two
 * insertions at one offset in reverse order, so a fix that adds imports and lines at one place
 * must give them as one edit.
 */
export function mergeInsertions(edits: ReadonlyArray<TextEdit | null>): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of edits) {
    if (!edit) continue;
    const previous = merged.find((other) => other.file === edit.file && other.start === other.end && edit.start === edit.end && other.start === edit.start);
    if (previous) previous.text += edit.text;
    else merged.push({ ...edit });
  }
  return merged;
}
