import type Parser from 'tree-sitter';
import { nodeLocation, parsePython } from '../parsers/python';
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

/** A module with the raw facts the resolver needs, collected from one listing of the nodes of its tree. */
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
  attributeAssignments: Parser.SyntaxNode[];
  /** Every `name = value` assignment, class bodies included. */
  nameAssignments: Parser.SyntaxNode[];
  /** Functions sorted by start offset, for finding the innermost one around an offset. */
  functionsByStart: PythonFunction[];
  /** Start and end offsets of `functionsByStart`, read once: each offset read on a node is a call into tree-sitter's addon. */
  functionStarts: number[];
  functionEnds: number[];
  functionByNodeId: Map<number, PythonFunction>;
  classOfFunction: Map<PythonFunction, PythonClass>;
  /** Offset ranges of every class definition, to skip parent walks for nodes outside all classes. */
  classRanges: Array<{ start: number; end: number }>;
  /** Offsets and name node of each function definition, read once. */
  functionParts: Map<PythonFunction, { start: number; end: number; nameNode: Parser.SyntaxNode }>;
  /** The two sides and the scope of each assignment in `nameAssignments` and `attributeAssignments`. */
  assignmentParts: Map<Parser.SyntaxNode, AssignmentParts>;
  /** The callee node of each node of `calls`, once the model has read it. */
  calleeOfCall: Map<Parser.SyntaxNode, Parser.SyntaxNode | null>;
}

export interface AssignmentParts {
  left: Parser.SyntaxNode;
  right: Parser.SyntaxNode;
  scope: PythonFunction | null;
}

/**
 * The node types the module facts are collected from, besides `if_statement` for `__main__` guards.
 * `descendantsOfType` lists them in document order, outer nodes before the nodes they contain, as a
 * query capturing each type would, and costs less than such a query because it matches no patterns.
 */
const FACT_NODE_TYPES = [
  'import_statement',
  'import_from_statement',
  'function_definition',
  'class_definition',
  'call',
  'decorator',
  'assignment',
  'return_statement',
];

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
    attributeAssignments: [],
    nameAssignments: [],
    functionsByStart: [],
    functionStarts: [],
    functionEnds: [],
    functionByNodeId: new Map(),
    classOfFunction: new Map(),
    classRanges: [],
    functionParts: new Map(),
    assignmentParts: new Map(),
    calleeOfCall: new Map(),
  };

  // A `__main__` guard is looked for only in modules whose text names `__main__`.
  const nodes = tree.rootNode.descendantsOfType(file.text.includes('__main__') ? [...FACT_NODE_TYPES, 'if_statement'] : FACT_NODE_TYPES);
  const types = nodes.map((node) => node.type);

  nodes.forEach((node, index) => {
    if (types[index] === 'class_definition') facts.classRanges.push({ start: node.startIndex, end: node.endIndex });
  });

  // Functions and classes first, so that later nodes can find their scope.
  nodes.forEach((node, index) => {
    if (types[index] === 'function_definition') addFunction(facts, node);
  });
  sortFunctions(facts);
  nodes.forEach((node, index) => {
    if (types[index] === 'class_definition') addClass(facts, node);
  });

  nodes.forEach((node, index) => {
    switch (types[index]) {
      case 'import_statement':
        addImport(facts, node);
        break;
      case 'import_from_statement':
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
      case 'return_statement':
        addReturn(facts, node);
        break;
      case 'if_statement':
        addMainGuard(facts, node);
        break;
    }
  });

  return facts;
}

/** Returns the innermost function whose definition contains the node, or null at module or class level. */
export function enclosingFunction(facts: ModuleFacts, node: Parser.SyntaxNode): PythonFunction | null {
  return enclosingFunctionAt(facts, node.startIndex, node.endIndex, node);
}

/**
 * Returns the innermost function whose definition contains the range `start`..`end` of `node`, or null
 * at module or class level. The function defined by `node` itself does not count.
 */
export function enclosingFunctionAt(facts: ModuleFacts, start: number, end: number, node: Parser.SyntaxNode): PythonFunction | null {
  // Binary search for the last function starting at or before the node, then step back to the first
  // that contains it: nested functions start after their parents, so that one is the innermost.
  // (tree-sitter finds a parent by descending from the root, so walking up costs the depth squared.)
  const starts = facts.functionStarts;
  const ends = facts.functionEnds;
  let low = 0;
  let high = starts.length - 1;
  let last = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (starts[middle] <= start) {
      last = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }

  for (let index = last; index >= 0; index--) {
    if (ends[index] < end) continue;
    // Only a node with the same range can be the definition itself, so node ids are compared only then.
    const fn = facts.functionsByStart[index];
    if (starts[index] === start && ends[index] === end && fn.node.id === node.id) continue;
    return fn;
  }
  return null;
}

/**
 * Returns false when no class definition of the module contains the node, so no class is among its
 * ancestors. True means one may be, and the caller walks the parents to find out.
 */
export function mayBeInsideClass(facts: ModuleFacts, node: Parser.SyntaxNode): boolean {
  return facts.classRanges.length > 0 && mayBeInsideClassAt(facts, node.startIndex, node.endIndex);
}

function mayBeInsideClassAt(facts: ModuleFacts, start: number, end: number): boolean {
  return facts.classRanges.some((range) => range.start <= start && end <= range.end);
}

/** Sorts the module's functions by start offset and keeps their offsets as numbers. */
function sortFunctions(facts: ModuleFacts): void {
  const entries = facts.module.functions.map((fn) => ({ fn, ...facts.functionParts.get(fn)! }));
  entries.sort((a, b) => a.start - b.start);
  facts.functionsByStart = entries.map((entry) => entry.fn);
  facts.functionStarts = entries.map((entry) => entry.start);
  facts.functionEnds = entries.map((entry) => entry.end);
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

  if (scope === null && !facts.module.topLevelNames.has(name) && !isInsideClassBody(facts, node)) {
    facts.module.topLevelNames.set(name, nodeLocation(facts.module.file, node));
  }
}

function isInsideClassBody(facts: ModuleFacts, node: Parser.SyntaxNode): boolean {
  if (!mayBeInsideClass(facts, node)) return false;
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

  const start = node.startIndex;
  const end = node.endIndex;
  const owner = mayBeInsideClassAt(facts, start, end) ? ownerOfDefinition(node) : null;
  const className = owner?.type === 'class_definition' ? (owner.childForFieldName('name')?.text ?? null) : null;
  const name = nameNode.text;
  const fn: PythonFunction = {
    module: facts.module,
    name,
    qualifiedName: className ? `${className}.${name}` : name,
    className,
    // The definition starts with its first token, `async` or `def`.
    isAsync: facts.module.file.text.startsWith('async', start),
    node,
    nameLocation: nodeLocation(facts.module.file, nameNode),
    parameters,
    parent: null,
  };
  facts.module.functions.push(fn);
  facts.functionByNodeId.set(node.id, fn);
  facts.functionParts.set(fn, { start, end, nameNode });
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

  const start = node.startIndex;
  const end = node.endIndex;
  const scope = enclosingFunctionAt(facts, start, end, node);
  const leftType = left.type;
  if (leftType === 'identifier') {
    facts.nameAssignments.push(node);
    facts.assignmentParts.set(node, { left, right, scope });
    // Class-level assignments are class attributes, not module or function bindings.
    if (mayBeInsideClassAt(facts, start, end) && node.parent?.parent?.parent?.type === 'class_definition') return;
    bind(facts, scope, left.text, { kind: 'value', node: right, offset: start }, left);
    return;
  }

  if (leftType === 'attribute' || leftType === 'subscript') {
    facts.attributeAssignments.push(node);
    facts.assignmentParts.set(node, { left, right, scope });
    const cls = scope ? facts.classOfFunction.get(scope) : undefined;
    if (leftType !== 'attribute' || !cls) return;

    const object = left.childForFieldName('object');
    const attribute = left.childForFieldName('attribute');
    if (object?.type === 'identifier' && object.text === 'self' && attribute && !cls.instanceAttributes.has(attribute.text)) {
      cls.instanceAttributes.set(attribute.text, right);
    }
    return;
  }

  if (leftType === 'pattern_list' || leftType === 'tuple_pattern') {
    const values = right.type === 'expression_list' || right.type === 'tuple' ? right.namedChildren : [];
    left.namedChildren.forEach((target, index) => {
      if (target.type !== 'identifier') return;
      const value = values[index];
      if (value) bind(facts, scope, target.text, { kind: 'value', node: value, offset: start }, target);
      else bind(facts, scope, target.text, { kind: 'value', node: right, offset: start }, target);
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
  if (condition?.type !== 'comparison_operator' || !isMainCheck(condition)) return;

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
    const { start, end, nameNode } = facts.functionParts.get(fn)!;
    fn.parent = enclosingFunctionAt(facts, start, end, fn.node);
    fn.parameters.forEach((name, index) => {
      const bindings = scopeBindings(facts, fn);
      const binding: Binding = { kind: 'parameter', fn, index, offset: start };
      const list = bindings.get(name);
      if (list) list.unshift(binding);
      else bindings.set(name, [binding]);
    });

    // A function name is bound in the scope that contains the definition; methods belong to their class.
    if (!fn.className) {
      bind(facts, fn.parent, fn.name, { kind: 'function', fn, offset: start }, nameNode);
    }
  }
}
