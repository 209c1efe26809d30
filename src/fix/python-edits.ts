import type Parser from 'tree-sitter';
import importDistributions from '../../data/import-distributions.json';
import packageDependencies from '../../data/package-dependencies.json';
import stdlib from '../../data/python-stdlib-modules.json';
import type { PythonModule } from '../model/types';
import type { TextEdit } from '../rule';
import { lineStarts, positionAt, type SourceFile } from '../source';

/** The sections of a module's imports, in the order isort and Ruff keep them. */
const enum ImportSection {
  Future = 0,
  Standard = 1,
  ThirdParty = 2,
  Local = 3,
}

const STANDARD_MODULES: ReadonlySet<string> = new Set(stdlib.modules);

/**
 * Top-level names of common packages, which are never modules of the service itself: those whose
 * distribution has another name, the packages of the dependency table, and a few more.
 */
const KNOWN_THIRD_PARTY: ReadonlySet<string> = new Set([
  ...Object.keys(importDistributions.imports).map((name) => name.split('.')[0]),
  ...Object.keys(packageDependencies.packages).map((name) => name.replace(/-/g, '_')),
  'flask', 'werkzeug', 'jinja2', 'itsdangerous', 'click', 'markupsafe', 'blinker', 'gunicorn', 'prometheus_client',
  'prometheus_flask_exporter', 'requests', 'httpx', 'aiohttp', 'urllib3', 'sqlalchemy', 'alembic', 'psycopg', 'asyncpg',
  'pymysql', 'pymongo', 'motor', 'redis', 'celery', 'kombu', 'pydantic', 'marshmallow', 'attrs', 'boto3', 'botocore',
  'gevent', 'eventlet', 'uvicorn', 'fastapi', 'starlette', 'structlog', 'sentry_sdk', 'cryptography', 'bcrypt', 'passlib',
  'pytz', 'tenacity', 'cachetools', 'orjson', 'ujson', 'simplejson', 'numpy', 'pandas', 'six', 'certifi', 'pytest',
]);

/** One import statement of the block of imports at the top of a module. */
interface LeadingImport {
  node: Parser.SyntaxNode;
  /** The module as written: `os.path`, `.operations`. */
  module: string;
  section: ImportSection;
  /** `import x` sorts before `from x import y` in a section, then by module name regardless of case. */
  sortKey: string;
}

/** The placement of a new import: `local` puts it with the service's own modules, which the built-in lists cannot tell apart from packages. */
export type ImportPlacement = 'auto' | 'local';

/** A parsed Python file: a module of the service, or a Gunicorn config file. */
export interface ParsedPython {
  file: SourceFile;
  tree: Parser.Tree;
}

/** Returns the offset just after the last top-level import, or after the docstring and `from __future__` lines. */
export function importInsertionOffset(module: ParsedPython): number {
  const root = module.tree.rootNode;
  let offset = 0;

  for (const statement of root.namedChildren) {
    const isImport = statement.type === 'import_statement' || statement.type === 'import_from_statement' || statement.type === 'future_import_statement';
    const isDocstring = statement.type === 'expression_statement' && statement.firstNamedChild?.type === 'string' && offset === 0;
    if (isImport || isDocstring) {
      offset = endOfLine(module, statement.endIndex);
      continue;
    }
    if (statement.type === 'comment') continue;
    break;
  }
  return offset;
}

/** True when the module already has exactly this import statement, or binds the name another way at top level. */
export function hasImport(module: PythonModule, moduleName: string, name: string | null): boolean {
  return module.imports.some((entry) => entry.module === moduleName && (name === null ? entry.names.length === 0 : entry.names.includes(name)));
}

/**
 * Adds `import x` or `from x import y` (`y` may be a list, `a, b`) unless the module has it. A name
 * joins an existing one-line `from x import ...` of the same module. Otherwise the new statement
 * goes into its section (standard library, third party, the service's own modules) in the order
 * isort and Ruff sort by default, or into a new section with a blank line around it.
 */
export function ensureImport(module: PythonModule, moduleName: string, name: string | null, placement: ImportPlacement = 'auto'): TextEdit | null {
  if (hasImport(module, moduleName, name)) return null;
  if (name !== null && module.topLevelNames.has(name)) return null;

  return placeImport(module, leadingImports(module), moduleName, name, placement);
}

/** Returns the edit that adds one import: joined to a `from` import of the same module, or a new statement in its section. */
function placeImport(source: ParsedPython, leading: readonly LeadingImport[], moduleName: string, name: string | null, placement: ImportPlacement): TextEdit {
  if (name !== null) {
    const merged = mergeIntoFromImport(source, leading, moduleName, name);
    if (merged) return merged;
  }

  const statement = name === null ? `import ${moduleName}` : `from ${moduleName} import ${name}`;
  const section = placement === 'local' ? ImportSection.Local : (sectionOf(moduleName) ?? ImportSection.Local);
  return insertImport(source, leading, statement, section, sortKey(name === null, moduleName));
}

/**
 * Adds several imports at once, like `ensureImport` for each. Statements that land at the same
 * place become one insertion, so a new section gets one blank line around it, not one per statement.
 */
export function ensureImports(module: PythonModule, imports: ReadonlyArray<ImportSpec>): TextEdit[] {
  return combineImports(imports, (spec) => ensureImport(module, spec.module, spec.name, spec.placement));
}

/** One import to add: `import <module>` when `name` is null, else `from <module> import <name>`. */
export interface ImportSpec {
  module: string;
  name: string | null;
  placement?: ImportPlacement;
}

/**
 * Adds imports to a parsed file that has no module model, such as a Gunicorn config, placing each
 * like `ensureImport`. The caller has checked that the file lacks them.
 */
export function addImports(source: ParsedPython, imports: ReadonlyArray<ImportSpec>): TextEdit[] {
  const leading = leadingImports(source);
  return combineImports(imports, (spec) => placeImport(source, leading, spec.module, spec.name, spec.placement ?? 'auto'));
}

/** Makes each import's edit in sorted order and joins those that land at the same place. */
function combineImports(imports: ReadonlyArray<ImportSpec>, edit: (spec: ImportSpec) => TextEdit | null): TextEdit[] {
  const edits: Array<TextEdit & { section: ImportSection }> = [];
  const ordered = [...imports].sort((a, b) => specSection(a) - specSection(b) || sortKey(a.name === null, a.module).localeCompare(sortKey(b.name === null, b.module)));
  for (const spec of ordered) {
    const next = edit(spec);
    if (!next) continue;

    const section = specSection(spec);
    const previous = edits.find((other) => other.start === next.start && other.end === next.start && next.end === next.start);
    if (!previous) {
      edits.push({ ...next, section });
      continue;
    }
    previous.text = joinInsertedStatements(previous.text, next.text, previous.section !== section);
    previous.section = section;
  }
  return edits.map(({ section: _section, ...edit }) => edit);
}

function specSection(spec: ImportSpec): ImportSection {
  return spec.placement === 'local' ? ImportSection.Local : (sectionOf(spec.module) ?? ImportSection.Local);
}

/**
 * Joins two inserted import texts, each one or more statements with their line breaks, keeping
 * the outer blank lines once, with a blank line between them when they start another section.
 */
function joinInsertedStatements(first: string, second: string, newSection: boolean): string {
  const leading = /^(\r?\n)*/.exec(first)![0];
  const trailing = /(\r?\n)*$/.exec(second)![0];
  return `${leading}${first.trim()}\n${newSection ? '\n' : ''}${second.trim()}${trailing}`;
}

/**
 * The leading imports of the last tree listed. Several rules in a row add imports to the same
 * module while a check builds its fixes, and each listing reads every top-level statement through
 * tree-sitter. Only one tree is kept: a `WeakMap` keyed by tree raised the peak memory of a
 * 500-system run by half.
 */
let lastLeadingImports: { tree: Parser.Tree; leading: readonly LeadingImport[] } | null = null;

/** Returns the import statements at the top of the module with their sections; an import after other code is not part of it. */
function leadingImports(module: ParsedPython): readonly LeadingImport[] {
  if (lastLeadingImports?.tree !== module.tree) lastLeadingImports = { tree: module.tree, leading: listLeadingImports(module) };
  return lastLeadingImports.leading;
}

function listLeadingImports(module: ParsedPython): LeadingImport[] {
  const text = module.file.text;
  const imports: Array<{ node: Parser.SyntaxNode; module: string; plain: boolean; block: number }> = [];
  let block = 0;
  let previousEnd = -1;

  for (const statement of module.tree.rootNode.namedChildren) {
    const kind = statement.type;
    if (kind === 'comment') continue;
    if (kind === 'expression_statement' && imports.length === 0 && previousEnd === -1 && statement.firstNamedChild?.type === 'string') {
      previousEnd = statement.endIndex;
      continue;
    }
    if (kind !== 'import_statement' && kind !== 'import_from_statement' && kind !== 'future_import_statement') break;

    const start = statement.startIndex;
    if (previousEnd >= 0 && /\n[ \t]*\r?\n/.test(text.slice(previousEnd, start))) block++;
    previousEnd = statement.endIndex;
    imports.push({ node: statement, module: importedModule(statement, text), plain: kind === 'import_statement', block });
  }

  // A module missing from the built-in lists takes the section of a known import in its block.
  // In a block of unknown modules only, it is taken for one of the service's own modules.
  const known = imports.map((entry) => sectionOf(entry.module));
  const blockSection = new Map<number, ImportSection>();
  imports.forEach((entry, index) => {
    const section = known[index];
    if (section !== null && !blockSection.has(entry.block)) blockSection.set(entry.block, section);
  });

  return imports.map((entry, index) => {
    const section = known[index] ?? blockSection.get(entry.block) ?? ImportSection.Local;
    return { node: entry.node, module: entry.module, section, sortKey: sortKey(entry.plain, entry.module) };
  });
}

/** Returns the section of a module by name, or null for a module the built-in lists do not know. */
function sectionOf(moduleName: string): ImportSection | null {
  if (moduleName === '__future__') return ImportSection.Future;
  if (moduleName.startsWith('.')) return ImportSection.Local;

  const top = moduleName.split('.')[0];
  if (STANDARD_MODULES.has(top)) return ImportSection.Standard;
  if (KNOWN_THIRD_PARTY.has(top)) return ImportSection.ThirdParty;
  return null;
}

function sortKey(plain: boolean, moduleName: string): string {
  return `${plain ? 0 : 1}${moduleName.toLowerCase()}`;
}

/** Returns the module an import statement names, as written: the first module of `import a, b`, the source of `from x import y`. */
function importedModule(statement: Parser.SyntaxNode, text: string): string {
  if (statement.type === 'future_import_statement') return '__future__';

  const target = statement.type === 'import_from_statement' ? statement.childForFieldName('module_name') : statement.childForFieldName('name');
  if (!target) return '';
  const name = target.type === 'aliased_import' ? (target.childForFieldName('name') ?? target) : target;
  return text.slice(name.startIndex, name.endIndex);
}

/** Adds names to a one-line `from <moduleName> import a, b` without parentheses, aliases or comments; null when there is none. */
function mergeIntoFromImport(module: ParsedPython, leading: readonly LeadingImport[], moduleName: string, names: string): TextEdit | null {
  const text = module.file.text;
  for (const entry of leading) {
    if (entry.node.type !== 'import_from_statement' || entry.module !== moduleName) continue;

    const written = text.slice(entry.node.startIndex, entry.node.endIndex);
    const match = /^(from\s+\S+\s+import\s+)([A-Za-z_][\w]*(?:\s*,\s*[A-Za-z_][\w]*)*)$/.exec(written);
    if (!match || /\bas\b/.test(match[2])) continue;

    const existing = match[2].split(',').map((part) => part.trim());
    const added = names.split(',').map((part) => part.trim()).filter((part) => !existing.includes(part));
    const sorted = existing.every((part, index) => index === 0 || compareImportedNames(existing[index - 1], part) <= 0);
    const combined = sorted ? [...existing, ...added].sort(compareImportedNames) : [...existing, ...added];

    const start = entry.node.startIndex + match[1].length;
    return { file: module.file.relPath, start, end: entry.node.endIndex, text: combined.join(', ') };
  }
  return null;
}

/** Sorts imported names as isort and Ruff do by default: constants, then classes, then everything else. */
export function compareImportedNames(a: string, b: string): number {
  const rank = (name: string): number => (/^[A-Z0-9_]+$/.test(name) && /[A-Z]/.test(name) ? 0 : /^[A-Z]/.test(name) ? 1 : 2);
  return rank(a) - rank(b) || a.toLowerCase().localeCompare(b.toLowerCase()) || a.localeCompare(b);
}

/** Inserts an import statement into its section, or starts the section next to its neighbours. */
function insertImport(module: ParsedPython, leading: readonly LeadingImport[], statement: string, section: ImportSection, key: string): TextEdit {
  const file = module.file.relPath;
  const text = module.file.text;
  const insertAt = (offset: number, inserted: string): TextEdit => ({ file, start: offset, end: offset, text: inserted });

  const same = leading.filter((entry) => entry.section === section);
  if (same.length > 0) {
    const next = same.find((entry) => entry.sortKey > key);
    if (next) return insertAt(startOfLine(module, next.node.startIndex), `${statement}\n`);
    return insertAt(...afterLine(module, same[same.length - 1].node.endIndex, `${statement}\n`));
  }

  const lower = leading.filter((entry) => entry.section < section).pop();
  if (lower) {
    const [offset, inserted] = afterLine(module, lower.node.endIndex, `\n${statement}\n`);
    const following = text.slice(offset, offset + 2);
    const needsGap = following !== '' && !/^\r?\n/.test(following);
    return insertAt(offset, needsGap ? `${inserted}\n` : inserted);
  }

  const higher = leading.find((entry) => entry.section > section);
  if (higher) return insertAt(startOfLine(module, higher.node.startIndex), `${statement}\n\n`);

  const offset = importInsertionOffset(module);
  const needsBreak = offset > 0 && !/\r?\n$|\r$/.test(text.slice(0, offset));
  return insertAt(offset, `${needsBreak ? '\n' : ''}${statement}\n`);
}

/** Returns the start of the line after the one holding `offset`, and the text to insert there, with a line break first at the end of a file without one. */
function afterLine(module: ParsedPython, offset: number, inserted: string): [number, string] {
  const end = endOfLine(module, offset);
  const atEndWithoutBreak = end === module.file.text.length && !/\r?\n$|\r$/.test(module.file.text);
  return [end, atEndWithoutBreak ? `\n${inserted}` : inserted];
}

/** Returns the offset of the start of the line after `offset`'s line, or the end of the text. */
export function endOfLine(module: { file: SourceFile }, offset: number): number {
  const starts = lineStarts(module.file);
  const { line } = positionAt(module.file, offset);
  return line < starts.length ? starts[line] : module.file.text.length;
}

/** Returns the offset where the line holding `offset` starts. */
export function startOfLine(module: { file: SourceFile }, offset: number): number {
  const { line } = positionAt(module.file, offset);
  return lineStarts(module.file)[line - 1];
}

/** Returns the whitespace that indents the line holding `offset`. */
export function indentationAt(module: PythonModule, offset: number): string {
  const start = startOfLine(module, offset);
  return /^[ \t]*/.exec(module.file.text.slice(start))![0];
}

/** Returns the statement node that directly contains the node (the child of a block or the module). */
export function enclosingStatement(node: Parser.SyntaxNode): Parser.SyntaxNode {
  let current = node;
  while (current.parent && current.parent.type !== 'block' && current.parent.type !== 'module') current = current.parent;
  return current;
}

/** The indentation one level deeper than `indentation`, in the file's own style (tabs or four spaces). */
export function deeper(indentation: string): string {
  return indentation.includes('\t') ? `${indentation}\t` : `${indentation}    `;
}

/** Adds a trailing line break to the text when the file does not end with one, so appended code starts on its own line. */
export function appendText(module: PythonModule, text: string): TextEdit {
  const end = module.file.text.length;
  const needsBreak = end > 0 && !/\r?\n$|\r$/.test(module.file.text);
  return { file: module.file.relPath, start: end, end, text: `${needsBreak ? '\n' : ''}${text}` };
}
