import type Parser from 'tree-sitter';
import type { FlaskApp, PythonModule, SystemModel } from '../model/types';
import type { Fix, TextEdit } from '../rule';
import { lineStarts, positionAt } from '../source';
import { findNode } from './app-edits';
import { enclosingStatement } from './python-edits';

const FACTORY_NAME = 'create_app';

/**
 * Moves a module-level app into a `create_app()` factory: the `Flask(...)` statement and every later
 * module-level statement that uses the app (settings, extensions, decorated views) go into the
 * factory body, and `app = create_app()` takes the place of the last one moved. Returns null when the
 * move could change what other code sees: a moved name used by module-level code that stays, or
 * imported by another module, a multi-line string whose indentation would change, or a module that
 * already has a `create_app`.
 */
export function factoryFix(model: SystemModel, app: FlaskApp): Fix | null {
  const module = app.module;
  const name = app.variable;
  const creation = findNode(module, app.location.start, app.location.end);
  if (!creation || !/^[A-Za-z_]\w*$/.test(name) || module.topLevelNames.has(FACTORY_NAME)) return null;

  const statement = enclosingStatement(creation);
  if (statement.parent?.type !== 'module' || !isPlainAssignment(statement, name)) return null;

  const later = module.tree.rootNode.namedChildren.filter((child) => child.startIndex > statement.startIndex && child.type !== 'comment');
  const moved = later.filter((child) => mentions(module, child, name) && !staysAtModuleLevel(child, name));
  const staying = later.filter((child) => !moved.includes(child));
  const defined = new Set(moved.flatMap(definedNames));

  if (staying.some((child) => [...defined].some((definedName) => mentions(module, child, definedName)))) return null;
  if (importedElsewhere(model, module, defined)) return null;
  if ([statement, ...moved].some((node) => hasMultilineString(module.file.text, node))) return null;

  const file = module.file;
  const nodes = [statement, ...moved];
  // Statements keep the blank lines they had between them; definitions get one around them.
  const body = nodes
    .map((node, index) => {
      const text = indent(file.text.slice(node.startIndex, node.endIndex));
      if (index === 0) return text;
      const previous = nodes[index - 1];
      const separated = /\n[ \t]*\r?\n/.test(file.text.slice(previous.endIndex, node.startIndex)) || isDefinition(previous) || isDefinition(node);
      return separated ? `\n${text}` : text;
    })
    .join('\n');
  const factory = `def ${FACTORY_NAME}():\n    """Creates and configures the application."""\n${body}\n    return ${name}\n`;
  const call = `${name} = ${FACTORY_NAME}()\n`;

  const edits: TextEdit[] = [];
  if (moved.length === 0) {
    edits.push(replaceLines(module, statement, `${factory}\n\n${call}`));
  } else {
    edits.push(replaceLines(module, statement, factory));
    moved.forEach((node, index) => {
      const last = index === moved.length - 1;
      edits.push(replaceLines(module, node, last ? call : '', !last));
    });
  }
  return { title: `Build \`${name}\` in a \`${FACTORY_NAME}()\` factory`, safety: 'unsafe', edits };
}

function isDefinition(node: Parser.SyntaxNode): boolean {
  return node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'decorated_definition';
}

function isPlainAssignment(statement: Parser.SyntaxNode, name: string): boolean {
  const assignment = statement.firstNamedChild;
  return statement.type === 'expression_statement' && assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === name;
}

/**
 * True when the node, a statement of `module`, contains the identifier `name`, outside of strings
 * and comments. Each place where the text holds `name` is looked up in the tree, so only one node
 * object is created per place instead of one per identifier of the statement.
 */
function mentions(module: PythonModule, node: Parser.SyntaxNode, name: string): boolean {
  if (name === '') return false;

  const text = module.file.text;
  const end = node.endIndex;
  for (let at = text.indexOf(name, node.startIndex); at !== -1 && at + name.length <= end; at = text.indexOf(name, at + 1)) {
    if (findNode(module, at, at + name.length)?.type === 'identifier') return true;
  }
  return false;
}

/**
 * Statements that use the app but must stay where they are: the `__main__` guard, a call of
 * `app.run(...)` (the development server belongs outside the factory) and a new binding of the name.
 */
function staysAtModuleLevel(node: Parser.SyntaxNode, name: string): boolean {
  if (node.type === 'if_statement' && /__name__/.test(node.childForFieldName('condition')?.text ?? '')) return true;
  if (node.type === 'expression_statement' && new RegExp(`^${name}\\s*\\.\\s*run\\s*\\(`).test(node.text)) return true;
  return node.type === 'expression_statement' && isPlainAssignment(node, name);
}

/** Names a module-level statement defines: functions, classes and assignment targets. */
function definedNames(node: Parser.SyntaxNode): string[] {
  const definition = node.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
  if (definition?.type === 'function_definition' || definition?.type === 'class_definition') {
    const name = definition.childForFieldName('name')?.text;
    return name ? [name] : [];
  }
  const assignment = node.type === 'expression_statement' ? node.firstNamedChild : null;
  const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
  return left?.type === 'identifier' ? [left.text] : [];
}

function importedElsewhere(model: SystemModel, module: PythonModule, names: Set<string>): boolean {
  return model.python.modules.some(
    (other) => other !== module && other.imports.some((entry) => entry.module === module.name && entry.names.some((imported) => names.has(imported.split(/\s+as\s+/)[0]))),
  );
}

/** True when a statement holds a string over several lines that is not a docstring; indenting it would change its value. */
function hasMultilineString(text: string, node: Parser.SyntaxNode): boolean {
  // tree-sitter starts a new row only at `\n`, so a node spans rows exactly when its text holds one.
  const spansRows = (start: number, end: number): boolean => {
    const newline = text.indexOf('\n', start);
    return newline !== -1 && newline < end;
  };
  if (!spansRows(node.startIndex, node.endIndex)) return false;

  return node.descendantsOfType('string').some((string) => {
    if (!spansRows(string.startIndex, string.endIndex)) return false;
    const parent = string.parent;
    const isDocstring = parent?.type === 'expression_statement' && parent.parent?.type === 'block' && parent.parent.firstNamedChild?.id === parent.id;
    return !isDocstring;
  });
}

function indent(text: string): string {
  return text
    .split(/\r\n|\n|\r/)
    .map((line) => (line.trim() === '' ? '' : `    ${line}`))
    .join('\n');
}

/**
 * Replaces the whole lines a statement occupies, line break included; with `withBlankLinesBefore`,
 * also the blank lines above it, so removed statements leave no run of empty lines behind.
 */
function replaceLines(module: PythonModule, node: Parser.SyntaxNode, text: string, withBlankLinesBefore = false): TextEdit {
  const file = module.file;
  const starts = lineStarts(file);
  let startLine = positionAt(file, node.startIndex).line;
  const endLine = positionAt(file, node.endIndex).line;
  while (withBlankLinesBefore && startLine > 1 && isBlankLine(file.text, starts, startLine - 1)) startLine--;

  const start = starts[startLine - 1];
  const end = endLine < starts.length ? starts[endLine] : file.text.length;
  return { file: file.relPath, start, end, text };
}

function isBlankLine(text: string, starts: number[], line: number): boolean {
  const end = line < starts.length ? starts[line] : text.length;
  return text.slice(starts[line - 1], end).trim() === '';
}
