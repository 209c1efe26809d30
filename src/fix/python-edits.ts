import type Parser from 'tree-sitter';
import type { PythonModule } from '../model/types';
import type { TextEdit } from '../rule';
import { lineStarts, positionAt } from '../source';

/** Returns the offset just after the last top-level import, or after the docstring and `from __future__` lines. */
export function importInsertionOffset(module: PythonModule): number {
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

/** Adds `import x` or `from x import y` after the module's imports, unless it is there already. */
export function ensureImport(module: PythonModule, moduleName: string, name: string | null): TextEdit | null {
  if (hasImport(module, moduleName, name)) return null;
  if (name !== null && module.topLevelNames.has(name)) return null;

  const statement = name === null ? `import ${moduleName}` : `from ${moduleName} import ${name}`;
  const offset = importInsertionOffset(module);
  const before = module.file.text.slice(0, offset);
  const needsBreak = offset > 0 && !/\r?\n$|\r$/.test(before);
  return { file: module.file.relPath, start: offset, end: offset, text: `${needsBreak ? '\n' : ''}${statement}\n` };
}

/** Returns the offset of the start of the line after `offset`'s line, or the end of the text. */
export function endOfLine(module: PythonModule, offset: number): number {
  const starts = lineStarts(module.file);
  const { line } = positionAt(module.file, offset);
  return line < starts.length ? starts[line] : module.file.text.length;
}

/** Returns the offset where the line holding `offset` starts. */
export function startOfLine(module: PythonModule, offset: number): number {
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
