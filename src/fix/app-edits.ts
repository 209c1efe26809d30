import type Parser from 'tree-sitter';
import type { FlaskApp, PythonModule, SystemModel } from '../model/types';
import type { TextEdit } from '../rule';
import { endOfLine, enclosingStatement, ensureImport, indentationAt, startOfLine, type ImportPlacement } from './python-edits';

/**
 * Where code that configures an app goes: right before the factory's `return app`, or on the line
 * after the module-level `app = Flask(...)` statement.
 */
export function appConfigurationPoint(app: FlaskApp): { offset: number; indentation: string } | null {
  const module = app.module;
  const creation = findNode(module, app.location.start, app.location.end);
  if (!creation) return null;

  if (!app.factory) {
    const statement = enclosingStatement(creation);
    return { offset: endOfLine(module, statement.endIndex), indentation: indentationAt(module, statement.startIndex) };
  }

  const body = app.factory.node.childForFieldName('body');
  const last = body?.namedChildren.filter((child) => child.type !== 'comment').at(-1);
  if (!last || last.type !== 'return_statement') return null;
  return { offset: startOfLine(module, last.startIndex), indentation: indentationAt(module, last.startIndex) };
}

/** Inserts configuration lines for an app, such as `app.wsgi_app = ProxyFix(...)`; `{app}` stands for the app's variable. */
export function insertAppLines(app: FlaskApp, lines: string[]): TextEdit | null {
  const point = appConfigurationPoint(app);
  if (!point || !app.variable || !/^[A-Za-z_]\w*$/.test(app.variable)) return null;

  const text = lines.map((line) => `${point.indentation}${line.replace(/\{app\}/g, app.variable)}\n`).join('');
  return { file: app.module.file.relPath, start: point.offset, end: point.offset, text };
}

/** Returns the smallest node spanning exactly [start, end) in the module, if any. */
export function findNode(module: PythonModule, start: number, end: number): Parser.SyntaxNode | null {
  const node = module.tree.rootNode.descendantForIndex(start, Math.max(start, end - 1));
  for (let current: Parser.SyntaxNode | null = node; current; current = current.parent) {
    if (current.startIndex === start && current.endIndex === end) return current;
    if (current.startIndex < start || current.endIndex > end) break;
  }
  return null;
}

/** How a module next to the app's module is imported from it: relatively inside a package, by name otherwise. */
export function siblingModule(model: SystemModel, appModule: PythonModule, name: string): { relPath: string; importFrom: string } {
  const slash = appModule.file.relPath.lastIndexOf('/');
  const folder = slash < 0 ? '' : appModule.file.relPath.slice(0, slash);
  const relPath = folder ? `${folder}/${name}.py` : `${name}.py`;
  const inPackage = folder !== '' && model.files.some((file) => file.relPath === `${folder}/__init__.py`);
  return { relPath, importFrom: inPackage ? `.${name}` : name };
}

/** Adds `from <module> import <name>` to a module, unless it is there; `local` places it with the service's own modules. */
export function importFrom(module: PythonModule, from: string, name: string, placement: ImportPlacement = 'auto'): TextEdit | null {
  const resolved = from.startsWith('.') ? resolveRelative(module, from) : from;
  if (module.imports.some((entry) => entry.module === resolved && entry.names.includes(name))) return null;
  return ensureImport(module, from, name, placement);
}

function resolveRelative(module: PythonModule, from: string): string {
  const packageName = module.file.relPath.endsWith('__init__.py') ? module.name : module.name.split('.').slice(0, -1).join('.');
  const rest = from.replace(/^\.+/, '');
  return [packageName, rest].filter(Boolean).join('.');
}
