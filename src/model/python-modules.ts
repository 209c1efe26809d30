import type Parser from 'tree-sitter';
import { nodeLocation, parsePython, pythonQuery } from '../parsers/python';
import type { SourceFile } from '../source';
import type { ParseProblem, PythonFunction, PythonImport, PythonModule } from './types';

/** Where a name gets its value in one scope. */
export type Binding =
  | { kind: 'import-module'; module: string; offset: number }
  | { kind: 'import-name'; module: string; name: string; offset: number }
  | { kind: 'value'; node: Parser.SyntaxNode; offset: number }
  | { kind: 'function'; fn: PythonFunction; offset: number }
  | { kind: 'class'; cls: PythonClass; offset: number }
  | { kind: 'parameter'; fn: PythonFunction; index: number; offset: number };

export interface PythonClass {
  module: PythonModule;
  name: string;
  node: Parser.SyntaxNode;
  bases: Parser.SyntaxNode[];
  methods: Map<string, PythonFunction>;
  /** Class-level assignments such as `DEBUG = True` in a config class. */
  attributes: Map<string, Parser.SyntaxNode>;
  /** `self.<name> = value` assignments in its methods. */
  instanceAttributes: Map<string, Parser.SyntaxNode>;
}

/** A module with the raw facts the resolver needs, collected with one query over its tree. */
export interface ModuleFacts {
  module: PythonModule;
  problems: ParseProblem[];
  /** Bindings per scope: the module scope under `null`. */
  scopes: Map<PythonFunction | null, Map<string, Binding[]>>;
  classes: Map<string, PythonClass>;
  calls: Parser.SyntaxNode[];
  decorators: Parser.SyntaxNode[];
  /** Function (or module, under `null`) to the expressions it returns. */
  returns: Map<PythonFunction | null, Parser.SyntaxNode[]>;
  globalStatements: Parser.SyntaxNode[];
  augmentedAssignments: Parser.SyntaxNode[];
  attributeAssignments: Parser.SyntaxNode[];
  /** Every `name = value` assignment, class bodies included. */
  nameAssignments: Parser.SyntaxNode[];
  /** Functions sorted by start offset, for finding the innermost one around an offset. */
  functionsByStart: PythonFunction[];
  functionByNodeId: Map<number, PythonFunction>;
  classOfFunction: Map<PythonFunction, PythonClass>;
}

const MODULE_QUERY = `
(import_statement) @import
(import_from_statement) @import_from
(function_definition) @function
(class_definition) @class
(call) @call
(decorator) @decorator
(assignment) @assignment
(augmented_assignment) @augmented
(return_statement) @return
(global_statement) @global
(if_statement condition: (comparison_operator) @condition) @if
`;

/** Returns the dotted module name of a file path relative to the system root (`app/__init__.py` is `app`). */
export function moduleNameOf(relPath: string): string {
  const withoutExtension = relPath.replace(/\.py$/, '');
  const parts = withoutExtension.split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.join('.');
}

export function isPackageFile(relPath: string): boolean {
  return /(^|\/)__init__\.py$/.test(relPath);
}

/** Parses one module and collects its definitions, bindings, calls and guards. */
export function collectModuleFacts(file: SourceFile): ModuleFacts {
  const { tree, problems } = parsePython(file);
  const module: PythonModule = {
    file,
    name: moduleNameOf(file.relPath),
    tree,
    topLevelNames: new Map(),
    functions: [],
    imports: [],
    mainGuards: [],
  };
  const facts: ModuleFacts = {
    module,
    problems,
    scopes: new Map([[null, new Map()]]),
    classes: new Map(),
    calls: [],
    decorators: [],
    returns: new Map(),
    globalStatements: [],
    augmentedAssignments: [],
    attributeAssignments: [],
    nameAssignments: [],
    functionsByStart: [],
    functionByNodeId: new Map(),
    classOfFunction: new Map(),
  };

  const captures = pythonQuery(MODULE_QUERY).captures(tree.rootNode);

  // Functions and classes first, so that later captures can find their scope.
  for (const { name, node } of captures) {
    if (name === 'function') addFunction(facts, node);
  }
  facts.functionsByStart = [...module.functions].sort((a, b) => a.node.startIndex - b.node.startIndex);
  for (const { name, node } of captures) {
    if (name === 'class') addClass(facts, node);
  }

  for (const { name, node } of captures) {
    switch (name) {
      case 'import':
        addImport(facts, node);
        break;
      case 'import_from':
        addImportFrom(facts, node);
        break;
      case 'call':
        facts.calls.push(node);
        break;
      case 'decorator':
        facts.decorators.push(node);
        break;
      case 'assignment':
        addAssignment(facts, node);
        break;
      case 'augmented':
        facts.augmentedAssignments.push(node);
        break;
      case 'return':
        addReturn(facts, node);
        break;
      case 'global':
        facts.globalStatements.push(node);
        break;
      case 'if':
        addMainGuard(facts, node);
        break;
    }
  }

  return facts;
}

/** Returns the innermost function whose definition contains the node, or null at module or class level. */
export function enclosingFunction(facts: ModuleFacts, node: Parser.SyntaxNode): PythonFunction | null {
  // Binary search for the last function starting at or before the node, then step back to the first
  // that contains it: nested functions start after their parents, so that one is the innermost.
  // (tree-sitter finds a parent by descending from the root, so walking up costs the depth squared.)
  const functions = facts.functionsByStart;
  let low = 0;
  let high = functions.length - 1;
  let last = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (functions[middle].node.startIndex <= node.startIndex) {
      last = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }

  for (let index = last; index >= 0; index--) {
    const fn = functions[index];
    if (fn.node.endIndex >= node.endIndex && fn.node.id !== node.id) return fn;
  }
  return null;
}

export function isUnderMainGuard(module: PythonModule, offset: number): boolean {
  return module.mainGuards.some((guard) => offset >= guard.start && offset < guard.end);
}

function scopeBindings(facts: ModuleFacts, scope: PythonFunction | null): Map<string, Binding[]> {
  let bindings = facts.scopes.get(scope);
  if (!bindings) {
    bindings = new Map();
    facts.scopes.set(scope, bindings);
  }
  return bindings;
}

function bind(facts: ModuleFacts, scope: PythonFunction | null, name: string, binding: Binding, node: Parser.SyntaxNode): void {
  const bindings = scopeBindings(facts, scope);
  const list = bindings.get(name);
  if (list) list.push(binding);
  else bindings.set(name, [binding]);

  if (scope === null && !isInsideClassBody(node) && !facts.module.topLevelNames.has(name)) {
    facts.module.topLevelNames.set(name, nodeLocation(facts.module.file, node));
  }
}

function isInsideClassBody(node: Parser.SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'class_definition') return true;
    if (parent.type === 'function_definition' || parent.type === 'module') return false;
  }
  return false;
}

function addFunction(facts: ModuleFacts, node: Parser.SyntaxNode): void {
  const nameNode = node.childForFieldName('name');
  if (!nameNode) return;

  const parameters: string[] = [];
  const parameterList = node.childForFieldName('parameters');
  for (const parameter of parameterList?.namedChildren ?? []) {
    const name = parameterName(parameter);
    if (name) parameters.push(name);
  }

  const owner = ownerOfDefinition(node);
  const className = owner?.type === 'class_definition' ? (owner.childForFieldName('name')?.text ?? null) : null;
  const fn: PythonFunction = {
    module: facts.module,
    name: nameNode.text,
    qualifiedName: className ? `${className}.${nameNode.text}` : nameNode.text,
    className,
    isAsync: node.children.some((child) => child.type === 'async'),
    node,
    nameLocation: nodeLocation(facts.module.file, nameNode),
    parameters,
    parent: null,
  };
  facts.module.functions.push(fn);
  facts.functionByNodeId.set(node.id, fn);
}

/** Returns the class or function whose body directly contains a definition, or null at module level. */
function ownerOfDefinition(node: Parser.SyntaxNode): Parser.SyntaxNode | null {
  let parent = node.parent;
  if (parent?.type === 'decorated_definition') parent = parent.parent;
  if (parent?.type !== 'block') return null;

  const owner = parent.parent;
  if (owner?.type === 'class_definition' || owner?.type === 'function_definition') return owner;
  return null;
}

function parameterName(parameter: Parser.SyntaxNode): string | null {
  if (parameter.type === 'identifier') return parameter.text;
  if (parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter') {
    return parameter.childForFieldName('name')?.text ?? null;
  }
  if (parameter.type === 'typed_parameter') return parameter.namedChildren.find((child) => child.type === 'identifier')?.text ?? null;
  return null;
}

function addClass(facts: ModuleFacts, node: Parser.SyntaxNode): void {
  const nameNode = node.childForFieldName('name');
  if (!nameNode) return;

  const cls: PythonClass = {
    module: facts.module,
    name: nameNode.text,
    node,
    bases: node.childForFieldName('superclasses')?.namedChildren ?? [],
    methods: new Map(),
    attributes: new Map(),
    instanceAttributes: new Map(),
  };
  const body = node.childForFieldName('body');
  for (const statement of body?.namedChildren ?? []) {
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'function_definition') {
      const fn = facts.functionByNodeId.get(definition.id);
      if (fn) {
        cls.methods.set(fn.name, fn);
        facts.classOfFunction.set(fn, cls);
      }
    }
    if (statement.type === 'expression_statement') {
      const assignment = statement.firstNamedChild;
      const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
      const right = assignment?.childForFieldName('right');
      if (left?.type === 'identifier' && right) cls.attributes.set(left.text, right);
    }
  }

  const enclosing = enclosingFunction(facts, node);
  if (!facts.classes.has(cls.name) && enclosing === null) facts.classes.set(cls.name, cls);
  bind(facts, enclosing, cls.name, { kind: 'class', cls, offset: node.startIndex }, nameNode);
}

function addImport(facts: ModuleFacts, node: Parser.SyntaxNode): void {
  const scope = enclosingFunction(facts, node);

  for (const child of node.namedChildren) {
    if (child.type === 'dotted_name') {
      const module = child.text.replace(/\s+/g, '');
      const head = module.split('.')[0];
      bind(facts, scope, head, { kind: 'import-module', module: head, offset: node.startIndex }, child);
      recordImport(facts, module, [], false, child);
    } else if (child.type === 'aliased_import') {
      const module = child.childForFieldName('name')?.text.replace(/\s+/g, '') ?? '';
      const alias = child.childForFieldName('alias')?.text;
      if (module && alias) bind(facts, scope, alias, { kind: 'import-module', module, offset: node.startIndex }, child);
      if (module) recordImport(facts, module, [], false, child);
    }
  }
}

function addImportFrom(facts: ModuleFacts, node: Parser.SyntaxNode): void {
  const scope = enclosingFunction(facts, node);
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode) return;

  const relative = moduleNode.type === 'relative_import';
  const module = relative ? resolveRelative(facts.module, moduleNode) : moduleNode.text.replace(/\s+/g, '');
  const names: string[] = [];

  for (const child of node.childrenForFieldName('name')) {
    if (child.type === 'dotted_name') {
      const name = child.text;
      names.push(name);
      bind(facts, scope, name, { kind: 'import-name', module, name, offset: node.startIndex }, child);
    } else if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name')?.text ?? '';
      const alias = child.childForFieldName('alias')?.text;
      names.push(name);
      if (name && alias) bind(facts, scope, alias, { kind: 'import-name', module, name, offset: node.startIndex }, child);
    }
  }
  recordImport(facts, module, names, relative, moduleNode);
}

/** Resolves `from ..pkg import x` against the importing module's package. */
function resolveRelative(module: PythonModule, node: Parser.SyntaxNode): string {
  const prefix = node.namedChildren.find((child) => child.type === 'import_prefix')?.text ?? '.';
  const rest = node.namedChildren.find((child) => child.type === 'dotted_name')?.text ?? '';
  const packageParts = module.name ? module.name.split('.') : [];
  if (!isPackageFile(module.file.relPath)) packageParts.pop();

  const levelsUp = prefix.length - 1;
  const base = packageParts.slice(0, Math.max(0, packageParts.length - levelsUp));
  return [...base, ...(rest ? [rest] : [])].join('.');
}

function recordImport(facts: ModuleFacts, module: string, names: string[], relative: boolean, node: Parser.SyntaxNode): void {
  const entry: PythonImport = { module, names, relative, location: nodeLocation(facts.module.file, node) };
  facts.module.imports.push(entry);
}

function addAssignment(facts: ModuleFacts, node: Parser.SyntaxNode): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return;

  const scope = enclosingFunction(facts, node);
  if (left.type === 'identifier') {
    facts.nameAssignments.push(node);
    // Class-level assignments are class attributes, not module or function bindings.
    if (node.parent?.parent?.parent?.type === 'class_definition') return;
    bind(facts, scope, left.text, { kind: 'value', node: right, offset: node.startIndex }, left);
    return;
  }

  if (left.type === 'attribute' || left.type === 'subscript') {
    facts.attributeAssignments.push(node);
    const object = left.childForFieldName('object');
    const attribute = left.childForFieldName('attribute');
    if (left.type === 'attribute' && object?.type === 'identifier' && object.text === 'self' && attribute && scope) {
      const cls = facts.classOfFunction.get(scope);
      if (cls && !cls.instanceAttributes.has(attribute.text)) cls.instanceAttributes.set(attribute.text, right);
    }
    return;
  }

  if (left.type === 'pattern_list' || left.type === 'tuple_pattern') {
    const values = right.type === 'expression_list' || right.type === 'tuple' ? right.namedChildren : [];
    left.namedChildren.forEach((target, index) => {
      if (target.type !== 'identifier') return;
      const value = values[index];
      if (value) bind(facts, scope, target.text, { kind: 'value', node: value, offset: node.startIndex }, target);
      else bind(facts, scope, target.text, { kind: 'value', node: right, offset: node.startIndex }, target);
    });
  }
}

function addReturn(facts: ModuleFacts, node: Parser.SyntaxNode): void {
  const value = node.firstNamedChild;
  if (!value) return;

  const scope = enclosingFunction(facts, node);
  const list = facts.returns.get(scope);
  if (list) list.push(value);
  else facts.returns.set(scope, [value]);
}

function addMainGuard(facts: ModuleFacts, node: Parser.SyntaxNode): void {
  const condition = node.childForFieldName('condition');
  if (!condition || !isMainCheck(condition)) return;

  const body = node.childForFieldName('consequence');
  if (body) facts.module.mainGuards.push({ start: body.startIndex, end: body.endIndex });
}

function isMainCheck(condition: Parser.SyntaxNode): boolean {
  const parts = condition.namedChildren;
  if (parts.length !== 2) return false;
  if (!condition.children.some((child) => child.type === '==')) return false;

  const texts = parts.map((part) => part.text.replace(/^['"]|['"]$/g, ''));
  return texts.includes('__name__') && texts.includes('__main__');
}

/** Adds parameters as bindings of each function, and links nested functions to their parents. */
export function bindParameters(facts: ModuleFacts): void {
  for (const fn of facts.module.functions) {
    fn.parent = enclosingFunction(facts, fn.node);
    fn.parameters.forEach((name, index) => {
      const bindings = scopeBindings(facts, fn);
      const binding: Binding = { kind: 'parameter', fn, index, offset: fn.node.startIndex };
      const list = bindings.get(name);
      if (list) list.unshift(binding);
      else bindings.set(name, [binding]);
    });

    // A function name is bound in the scope that contains the definition; methods belong to their class.
    if (!fn.className) {
      bind(facts, fn.parent, fn.name, { kind: 'function', fn, offset: fn.node.startIndex }, fn.node.childForFieldName('name') ?? fn.node);
    }
  }
}
