import type Parser from 'tree-sitter';
import { callArguments, evaluate, literalString, MAX_EXPRESSION_DEPTH, nodeLocation } from '../parsers/python';
import type { Location, SourceFile } from '../source';
import { createLogger } from '../log';
import {
  bindParameters,
  collectModuleFacts,
  enclosingFunction,
  enclosingFunctionAt,
  isUnderMainGuard,
  mayBeInsideClass,
  type Binding,
  type ModuleFacts,
  type PythonClass,
} from './python-modules';
import type {
  Blueprint,
  FlaskApp,
  PyArgument,
  PyValue,
  PythonAssignment,
  PythonCall,
  PythonFunction,
  PythonModel,
  PythonModule,
  Route,
} from './types';

const log = createLogger('python');

/** What an expression refers to, as far as static reading can tell. */
export type Ref =
  | { kind: 'external'; name: string }
  | { kind: 'external-result'; name: string; node: Parser.SyntaxNode; facts: ModuleFacts }
  | { kind: 'module'; facts: ModuleFacts }
  | { kind: 'function'; fn: PythonFunction; boundTo: PythonClass | null }
  | { kind: 'class'; cls: PythonClass }
  | { kind: 'instance'; cls: PythonClass }
  | { kind: 'app'; app: FlaskApp }
  | { kind: 'blueprint'; blueprint: Blueprint }
  | { kind: 'unknown' };

const UNKNOWN: Ref = { kind: 'unknown' };
const MAX_DEPTH = 24;

const FLASK_CLASSES = new Set(['flask.Flask', 'flask.app.Flask']);
const BLUEPRINT_CLASSES = new Set(['flask.Blueprint', 'flask.blueprints.Blueprint']);
const ROUTE_METHODS: Record<string, string[]> = {
  route: ['GET'],
  get: ['GET'],
  post: ['POST'],
  put: ['PUT'],
  delete: ['DELETE'],
  patch: ['PATCH'],
};
const PROMETHEUS_EXPORTERS = /^prometheus_flask_exporter(\.multiprocess)?\.(PrometheusMetrics|GunicornPrometheusMetrics|GunicornInternalPrometheusMetrics|RESTfulPrometheusMetrics|UWsgiPrometheusMetrics|MultiprocessPrometheusMetrics|ConnexionPrometheusMetrics)$/;
const DISPATCHER_MIDDLEWARE = new Set([
  'werkzeug.middleware.dispatcher.DispatcherMiddleware',
  'werkzeug.wsgi.DispatcherMiddleware',
]);

/** Resolves names across the modules of one system: imports, assignments, parameters, returns. */
class Resolver {
  readonly factsByName = new Map<string, ModuleFacts>();
  readonly apps = new Map<number, FlaskApp>();
  readonly blueprints = new Map<number, Blueprint>();
  /** Resolved expressions per module by node id, cleared when learned parameters change what names refer to. */
  private readonly memo = new Map<ModuleFacts, Map<number, Ref>>();
  /** Node ids per module of the expressions being resolved, so that a cycle of names resolves to unknown. */
  private readonly inProgress = new Map<ModuleFacts, Set<number>>();
  /** The shape of each expression node, read from the tree once and kept across `clearMemo`. */
  private readonly shapes = new Map<Parser.SyntaxNode, ExpressionShape>();
  /** Parameter bindings learned from call sites: `register(app)` binds `register`'s first parameter to the app. */
  readonly parameterRefs = new Map<PythonFunction, Map<number, Ref>>();

  constructor(readonly allFacts: ModuleFacts[]) {
    for (const facts of allFacts) {
      if (!this.factsByName.has(facts.module.name)) this.factsByName.set(facts.module.name, facts);
    }
  }

  clearMemo(): void {
    this.memo.clear();
  }

  /** Finds a system module by name, also when the system root is above the import root (`src/app` for `app`). */
  findModule(name: string): ModuleFacts | undefined {
    const exact = this.factsByName.get(name);
    if (exact) return exact;

    const suffix = `.${name}`;
    const matches = this.allFacts.filter((facts) => facts.module.name.endsWith(suffix));
    return matches.length === 1 ? matches[0] : undefined;
  }

  factsOf(module: PythonModule): ModuleFacts {
    return this.allFacts.find((facts) => facts.module === module)!;
  }

  resolveName(facts: ModuleFacts, scope: PythonFunction | null, name: string, offset: number, depth = 0): Ref {
    if (depth > MAX_DEPTH) return UNKNOWN;

    for (let current: PythonFunction | null = scope; ; current = current.parent) {
      const bindings = facts.scopes.get(current)?.get(name);
      if (bindings && bindings.length > 0) {
        const binding = pickBinding(bindings, current === scope ? offset : Number.POSITIVE_INFINITY);
        return this.resolveBinding(facts, current, name, binding, depth + 1);
      }
      if (current === null) break;
    }

    return { kind: 'external', name };
  }

  resolveBinding(facts: ModuleFacts, scope: PythonFunction | null, name: string, binding: Binding, depth: number): Ref {
    switch (binding.kind) {
      case 'import-module': {
        const target = this.findModule(binding.module);
        return target ? { kind: 'module', facts: target } : { kind: 'external', name: binding.module };
      }
      case 'import-name': {
        const target = this.findModule(binding.module);
        if (target) {
          if (target.scopes.get(null)?.has(binding.name)) {
            return this.resolveName(target, null, binding.name, Number.POSITIVE_INFINITY, depth + 1);
          }
          const submodule = this.findModule(`${target.module.name}.${binding.name}`);
          if (submodule) return { kind: 'module', facts: submodule };
          return UNKNOWN;
        }
        const submodule = this.findModule(`${binding.module}.${binding.name}`);
        if (submodule && binding.module) return { kind: 'module', facts: submodule };
        return { kind: 'external', name: binding.module ? `${binding.module}.${binding.name}` : binding.name };
      }
      case 'value':
        return this.resolveExpression(facts, scope, binding.node, depth + 1);
      case 'function':
        return { kind: 'function', fn: binding.fn, boundTo: null };
      case 'class':
        return { kind: 'class', cls: binding.cls };
      case 'parameter': {
        const learned = this.parameterRefs.get(binding.fn)?.get(binding.index);
        if (learned) return learned;
        const cls = binding.index === 0 ? facts.classOfFunction.get(binding.fn) : undefined;
        if (cls && !isStaticMethod(binding.fn)) return { kind: 'instance', cls };
        void name;
        return UNKNOWN;
      }
    }
  }

  /** Returns what the resolver reads of an expression node, reading the tree only the first time. */
  shapeOf(facts: ModuleFacts, node: Parser.SyntaxNode): ExpressionShape {
    let shape = this.shapes.get(node);
    if (!shape) {
      shape = readShape(facts, node);
      this.shapes.set(node, shape);
    }
    return shape;
  }

  resolveExpression(facts: ModuleFacts, scope: PythonFunction | null, node: Parser.SyntaxNode, depth = 0): Ref {
    if (depth > MAX_DEPTH) return UNKNOWN;

    const shape = this.shapeOf(facts, node);
    let memo = this.memo.get(facts);
    let inProgress = this.inProgress.get(facts);
    if (!memo || !inProgress) {
      memo = new Map();
      inProgress = new Set();
      this.memo.set(facts, memo);
      this.inProgress.set(facts, inProgress);
    }
    const cached = memo.get(shape.id);
    if (cached) return cached;
    if (inProgress.has(shape.id)) return UNKNOWN;

    inProgress.add(shape.id);
    const result = this.computeExpression(facts, scope, node, shape, depth);
    inProgress.delete(shape.id);
    memo.set(shape.id, result);
    return result;
  }

  private computeExpression(facts: ModuleFacts, scope: PythonFunction | null, node: Parser.SyntaxNode, shape: ExpressionShape, depth: number): Ref {
    switch (shape.type) {
      case 'identifier':
        return this.resolveName(facts, scope, shape.name!, shape.start, depth + 1);
      case 'parenthesized_expression':
        return shape.child ? this.resolveExpression(facts, scope, shape.child, depth + 1) : UNKNOWN;
      case 'attribute':
        if (!shape.child || !shape.name) return UNKNOWN;
        return this.resolveAttribute(this.resolveExpression(facts, scope, shape.child, depth + 1), shape.name, depth + 1);
      case 'call':
        return this.resolveCall(facts, scope, node, shape.child, depth + 1);
      default:
        return UNKNOWN;
    }
  }

  resolveAttribute(object: Ref, attribute: string, depth: number): Ref {
    switch (object.kind) {
      case 'module': {
        if (object.facts.scopes.get(null)?.has(attribute)) {
          return this.resolveName(object.facts, null, attribute, Number.POSITIVE_INFINITY, depth + 1);
        }
        const submodule = this.findModule(`${object.facts.module.name}.${attribute}`);
        return submodule ? { kind: 'module', facts: submodule } : UNKNOWN;
      }
      case 'external':
        return { kind: 'external', name: `${object.name}.${attribute}` };
      case 'instance':
      case 'class': {
        const method = findMethod(object.cls, attribute, this);
        if (method) return { kind: 'function', fn: method.fn, boundTo: object.kind === 'instance' ? method.cls : null };
        const value = object.kind === 'instance' ? object.cls.instanceAttributes.get(attribute) : undefined;
        const classValue = object.cls.attributes.get(attribute);
        const chosen = value ?? classValue;
        if (!chosen) return UNKNOWN;
        const facts = this.factsOf(object.cls.module);
        return this.resolveExpression(facts, enclosingFunction(facts, chosen), chosen, depth + 1);
      }
      default:
        return UNKNOWN;
    }
  }

  private resolveCall(facts: ModuleFacts, scope: PythonFunction | null, node: Parser.SyntaxNode, calleeNode: Parser.SyntaxNode | null, depth: number): Ref {
    if (!calleeNode) return UNKNOWN;

    const callee = this.resolveExpression(facts, scope, calleeNode, depth + 1);
    if (callee.kind === 'external') {
      if (FLASK_CLASSES.has(callee.name)) return { kind: 'app', app: this.appAt(facts, node) };
      if (BLUEPRINT_CLASSES.has(callee.name)) return { kind: 'blueprint', blueprint: this.blueprintAt(facts, node) };
      return { kind: 'external-result', name: callee.name, node, facts };
    }
    if (callee.kind === 'class') return { kind: 'instance', cls: callee.cls };
    if (callee.kind === 'function') return this.returnOf(callee.fn, depth + 1);
    return UNKNOWN;
  }

  /** Resolves what a function returns, preferring an app, a blueprint or an instance of a system class. */
  returnOf(fn: PythonFunction, depth: number): Ref {
    const facts = this.factsOf(fn.module);
    const values = facts.returns.get(fn) ?? [];
    let fallback: Ref = UNKNOWN;

    for (const value of values) {
      const ref = this.resolveExpression(facts, fn, value, depth + 1);
      if (ref.kind === 'app' || ref.kind === 'blueprint') return ref;
      if (ref.kind !== 'unknown') fallback = ref;

      // `app = ProxyFix(app)` before `return app` rebinds the name; the function still builds that app.
      const earlier = value.type === 'identifier' ? (facts.scopes.get(fn)?.get(value.text) ?? []) : [];
      for (const binding of earlier) {
        const bound = this.resolveBinding(facts, fn, value.text, binding, depth + 1);
        if (bound.kind === 'app') return bound;
      }
    }
    return fallback;
  }

  appAt(facts: ModuleFacts, node: Parser.SyntaxNode): FlaskApp {
    let app = this.apps.get(node.id);
    if (!app) {
      const assignment = node.parent?.type === 'assignment' ? node.parent : null;
      const left = assignment?.childForFieldName('left');
      app = {
        module: facts.module,
        variable: left?.type === 'identifier' ? left.text : left?.text ?? '',
        factory: null,
        location: nodeLocation(facts.module.file, node),
      };
      this.apps.set(node.id, app);
    }
    return app;
  }

  blueprintAt(facts: ModuleFacts, node: Parser.SyntaxNode): Blueprint {
    let blueprint = this.blueprints.get(node.id);
    if (!blueprint) {
      const scope = enclosingFunction(facts, node);
      const args = callArguments(node, facts.module.file);
      const nameArg = args.find((arg) => arg.name === 'name') ?? args.find((arg) => arg.name === null);
      const prefixArg = args.find((arg) => arg.name === 'url_prefix');
      const assignment = node.parent?.type === 'assignment' ? node.parent : null;
      blueprint = {
        module: facts.module,
        variable: assignment?.childForFieldName('left')?.text ?? '',
        name: nameArg && nameArg.value.kind === 'literal' && typeof nameArg.value.value === 'string' ? nameArg.value.value : null,
        urlPrefix: prefixArg ? this.literalOf(facts, scope, prefixArg.node) : null,
        location: nodeLocation(facts.module.file, node),
        registrations: [],
      };
      this.blueprints.set(node.id, blueprint);
    }
    return blueprint;
  }

  /** Evaluates an expression, following identifiers to the value bound to them. */
  valueOf(facts: ModuleFacts, scope: PythonFunction | null, node: Parser.SyntaxNode, depth = 0): PyValue {
    if (node.type !== 'identifier' || depth > 8) return evaluate(node, facts.module.file);

    for (let current: PythonFunction | null = scope; ; current = current.parent) {
      const bindings = facts.scopes.get(current)?.get(node.text);
      if (bindings && bindings.length > 0) {
        const binding = pickBinding(bindings, current === scope ? node.startIndex : Number.POSITIVE_INFINITY);
        if (binding.kind === 'value') return this.valueOf(facts, current, binding.node, depth + 1);
        if (binding.kind === 'import-name') {
          const target = this.findModule(binding.module);
          const bound = target?.scopes.get(null)?.get(binding.name);
          const last = bound?.[bound.length - 1];
          if (target && last?.kind === 'value') return this.valueOf(target, null, last.node, depth + 1);
        }
        return { kind: 'name', name: node.text };
      }
      if (current === null) break;
    }
    return { kind: 'name', name: node.text };
  }

  literalOf(facts: ModuleFacts, scope: PythonFunction | null, node: Parser.SyntaxNode): string | null {
    const value = this.valueOf(facts, scope, node);
    return value.kind === 'literal' && typeof value.value === 'string' ? value.value : literalString(node, facts.module.file);
  }
}

/**
 * The parts of an expression node the resolver reads: the node id (the memo key), its type and
 * start, an identifier's name or an attribute's name, and the one child it resolves through.
 */
interface ExpressionShape {
  id: number;
  type: string;
  start: number;
  /** The identifier itself, or the attribute name of `object.attribute`. Null for other nodes. */
  name: string | null;
  /** The object of an attribute, the callee of a call, the first named child of parentheses. */
  child: Parser.SyntaxNode | null;
}

function readShape(facts: ModuleFacts, node: Parser.SyntaxNode): ExpressionShape {
  const type = node.type;
  const start = node.startIndex;
  const shape: ExpressionShape = { id: node.id, type, start, name: null, child: null };

  switch (type) {
    case 'identifier':
      // `node.text` reads both offsets from the addon and slices the text the tree was parsed from,
      // which is the module's text when the node belongs to the module's tree.
      shape.name = node.tree === facts.module.tree ? facts.module.file.text.slice(start, node.endIndex) : node.text;
      break;
    case 'parenthesized_expression':
      shape.child = node.firstNamedChild;
      break;
    case 'attribute':
      shape.child = node.childForFieldName('object');
      shape.name =
        (node.tree === facts.module.tree ? asciiAttributeName(facts.module.file.text, start, node.endIndex) : undefined) ??
        node.childForFieldName('attribute')?.text ??
        null;
      break;
    case 'call': {
      // Call sites store the callee they read. tree-sitter returns the same node object for a node
      // while a reference to that object is alive, so the lookup finds it; otherwise the tree is asked.
      const callee = facts.calleeOfCall.get(node);
      shape.child = callee !== undefined ? callee : node.childForFieldName('function');
      break;
    }
  }
  return shape;
}

/**
 * Reads the attribute name of `object.attribute` (the node spanning `start`..`end`) from the text,
 * so that no node is created for it. The name is the identifier that ends the node, and only `.`,
 * whitespace or a line break can come before it, so it is the run of identifier characters before
 * `end`. Returns undefined, and the caller reads the name from the tree, when that run meets a
 * non-ASCII character or starts with a digit: after a syntax error such as `x.1y`, a number can
 * end right where the name starts.
 */
function asciiAttributeName(text: string, start: number, end: number): string | undefined {
  let from = end;
  while (from > start) {
    const code = text.charCodeAt(from - 1);
    if (code >= 0x80) return undefined;
    if (!isAsciiIdentifierCharacter(code)) break;
    from--;
  }

  const first = text.charCodeAt(from);
  if (from < end && first >= 0x30 && first <= 0x39) return undefined;
  return text.slice(from, end);
}

function isAsciiIdentifierCharacter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

function pickBinding(bindings: Binding[], offset: number): Binding {
  let chosen = bindings[0];
  for (const binding of bindings) {
    if (binding.offset <= offset) chosen = binding;
  }
  return chosen;
}

function isStaticMethod(fn: PythonFunction): boolean {
  const parent = fn.node.parent;
  if (parent?.type !== 'decorated_definition') return false;
  return parent.namedChildren.some((child) => child.type === 'decorator' && /staticmethod/.test(child.text));
}

function findMethod(cls: PythonClass, name: string, resolver: Resolver, depth = 0): { fn: PythonFunction; cls: PythonClass } | null {
  const own = cls.methods.get(name);
  if (own) return { fn: own, cls };
  if (depth > 8) return null;

  const facts = resolver.factsOf(cls.module);
  for (const base of cls.bases) {
    const ref = resolver.resolveExpression(facts, null, base, depth + 1);
    if (ref.kind === 'class') {
      const inherited = findMethod(ref.cls, name, resolver, depth + 1);
      if (inherited) return inherited;
    }
  }
  return null;
}

/** Parses every Python module of the system and finds the Flask apps, blueprints, routes and calls. */
export function buildPythonModel(files: SourceFile[]): PythonModel {
  const allFacts = files.filter((file) => file.kind === 'python').map(collectModuleFacts);
  for (const facts of allFacts) bindParameters(facts);

  const resolver = new Resolver(allFacts);
  const sites = allFacts.flatMap(callSites);
  learnParameters(resolver, sites);

  const calls = sites.map((site) => describeCall(resolver, site));

  const apps = [...resolver.apps.values()];
  for (const app of apps) app.factory = findFactory(resolver, app);

  const routes: Route[] = [];
  collectRegistrations(resolver, calls);
  for (const facts of allFacts) collectDecoratorRoutes(resolver, facts, routes);
  collectCallRoutes(resolver, calls, routes);
  const assignments = allFacts.flatMap((facts) => describeAssignments(resolver, facts));
  const modules = allFacts.map((facts) => facts.module);
  log('%d modules, %d apps, %d blueprints, %d routes', modules.length, apps.length, resolver.blueprints.size, routes.length);

  return {
    modules,
    assignments,
    apps,
    blueprints: [...resolver.blueprints.values()],
    routes,
    calls,
    problems: allFacts.flatMap((facts) => facts.problems),
    moduleByName: (name) => resolver.findModule(name)?.module,
    valueOf: (module, node) => {
      const facts = resolver.factsOf(module);
      return resolver.valueOf(facts, enclosingFunction(facts, node), node);
    },
    classAttributes: (module, node) => {
      const facts = resolver.factsOf(module);
      const ref = resolver.resolveExpression(facts, enclosingFunction(facts, node), node);
      return ref.kind === 'class' || ref.kind === 'instance' ? ref.cls.attributes : null;
    },
    functionAt: (module, node) => enclosingFunction(resolver.factsOf(module), node),
  };
}

/**
 * Learns what parameters receive from call sites (`register_routes(app)`), in two rounds so that an app
 * passed through one helper to another is followed. A lone `app` parameter with no known caller is
 * taken to be the system's only app.
 */
function learnParameters(resolver: Resolver, sites: CallSite[]): void {
  for (let round = 0; round < 2; round++) {
    // A second round that starts from what the first started from (nothing learned) repeats it exactly.
    if (round === 1 && resolver.parameterRefs.size === 0) break;

    for (const site of sites) {
      const { facts, scope, calleeNode } = site;
      if (!calleeNode) continue;

      const callee = resolver.resolveExpression(facts, scope, calleeNode);
      if (callee.kind !== 'function') continue;

      const offset = callee.boundTo || callee.fn.className ? 1 : 0;
      argumentNodesOf(site).forEach((arg, position) => {
        const index = arg.name === null ? position + offset : callee.fn.parameters.indexOf(arg.name);
        if (index < 0) return;
        const ref = resolver.resolveExpression(facts, scope, arg.node);
        if (ref.kind !== 'app' && ref.kind !== 'blueprint' && ref.kind !== 'instance') return;
        let map = resolver.parameterRefs.get(callee.fn);
        if (!map) {
          map = new Map();
          resolver.parameterRefs.set(callee.fn, map);
        }
        map.set(index, ref);
      });
    }
    resolver.clearMemo();
  }

  const apps = [...resolver.apps.values()];
  if (apps.length !== 1) return;
  for (const facts of resolver.allFacts) {
    for (const fn of facts.module.functions) {
      const index = fn.parameters.indexOf('app');
      if (index < 0 || resolver.parameterRefs.get(fn)?.has(index)) continue;
      let map = resolver.parameterRefs.get(fn);
      if (!map) {
        map = new Map();
        resolver.parameterRefs.set(fn, map);
      }
      map.set(index, { kind: 'app', app: apps[0] });
    }
  }
  resolver.clearMemo();
}

/** A call node with what every pass over the calls reads, each read once from the tree. */
interface CallSite {
  facts: ModuleFacts;
  node: Parser.SyntaxNode;
  start: number;
  end: number;
  scope: PythonFunction | null;
  calleeNode: Parser.SyntaxNode | null;
  /** The argument nodes, read on first use. */
  argumentNodes: ArgumentNode[] | null;
}

/** An argument of a call as written, before its value is evaluated. */
interface ArgumentNode {
  name: string | null;
  /** The value, or the whole argument when a keyword argument has no value node, as in `PyArgument`. */
  node: Parser.SyntaxNode;
  /** The value node as `callArguments` evaluates it: null for a keyword argument without one. */
  value: Parser.SyntaxNode | null;
}

function callSites(facts: ModuleFacts): CallSite[] {
  return facts.calls.map((node) => {
    const start = node.startIndex;
    const end = node.endIndex;
    const calleeNode = node.childForFieldName('function');
    facts.calleeOfCall.set(node, calleeNode);
    return {
      facts,
      node,
      start,
      end,
      scope: enclosingFunctionAt(facts, start, end, node),
      calleeNode,
      argumentNodes: null,
    };
  });
}

/** Returns the argument nodes of a call site, read from the tree on first use. */
function argumentNodesOf(site: CallSite): ArgumentNode[] {
  if (!site.argumentNodes) site.argumentNodes = argumentNodes(site.node);
  return site.argumentNodes;
}

/** Lists the arguments of a call as `callArguments` does (same order, splats skipped) without evaluating them. */
function argumentNodes(call: Parser.SyntaxNode): ArgumentNode[] {
  const result: ArgumentNode[] = [];
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return result;

  for (const child of list.namedChildren) {
    if (child.type === 'comment' || child.type === 'list_splat' || child.type === 'dictionary_splat') continue;
    if (child.type === 'keyword_argument') {
      const value = child.childForFieldName('value');
      result.push({ name: child.childForFieldName('name')?.text ?? null, node: value ?? child, value });
    } else {
      result.push({ name: null, node: child, value: child });
    }
  }
  return result;
}

/**
 * A call of the model. The receiver's text and the evaluated arguments are read from the tree on first
 * use, because most calls are never asked for them and each read crosses into tree-sitter's addon.
 */
class ModelCall implements PythonCall {
  private argumentValues: PyArgument[] | null = null;
  private receiverText: string | null | undefined = undefined;

  constructor(
    readonly module: PythonModule,
    readonly callee: string,
    private readonly receiverNode: Parser.SyntaxNode | null,
    readonly receiverApp: FlaskApp | null,
    readonly method: string | null,
    readonly node: Parser.SyntaxNode,
    readonly location: Location,
    readonly scope: PythonFunction | null,
    readonly underMainGuard: boolean,
    readonly target: PythonFunction | null,
  ) {}

  get receiver(): string | null {
    if (this.receiverText === undefined) this.receiverText = this.receiverNode?.text ?? null;
    return this.receiverText;
  }

  get args(): PyArgument[] {
    if (!this.argumentValues) this.argumentValues = callArguments(this.node, this.module.file);
    return this.argumentValues;
  }
}

function describeCall(resolver: Resolver, site: CallSite): PythonCall {
  const { facts, node, scope, calleeNode } = site;
  const file = facts.module.file;
  const calleeShape = calleeNode ? resolver.shapeOf(facts, calleeNode) : null;
  const receiverNode = calleeShape?.type === 'attribute' ? calleeShape.child : null;
  const method = calleeShape?.type === 'attribute' ? calleeShape.name : null;
  const receiverRef = receiverNode ? resolver.resolveExpression(facts, scope, receiverNode) : null;
  const callee = calleeNode ? resolver.resolveExpression(facts, scope, calleeNode) : UNKNOWN;
  if (callee.kind === 'external' && FLASK_CLASSES.has(callee.name)) resolver.appAt(facts, node);
  if (callee.kind === 'external' && BLUEPRINT_CLASSES.has(callee.name)) resolver.blueprintAt(facts, node);

  return new ModelCall(
    facts.module,
    calleeName(resolver, facts, callee, receiverRef, method, calleeNode),
    receiverNode,
    receiverRef?.kind === 'app' ? receiverRef.app : null,
    method,
    node,
    { file, start: site.start, end: site.end },
    scope,
    isUnderMainGuard(facts.module, site.start),
    callee.kind === 'function' ? callee.fn : null,
  );
}

function calleeName(
  resolver: Resolver,
  facts: ModuleFacts,
  callee: Ref,
  receiver: Ref | null,
  method: string | null,
  calleeNode: Parser.SyntaxNode | null | undefined,
): string {
  switch (callee.kind) {
    case 'external':
      return callee.name;
    case 'function':
      return `${callee.fn.module.name}.${callee.fn.qualifiedName}`;
    case 'class':
      return `${callee.cls.module.name}.${callee.cls.name}`;
  }

  if (receiver && method) {
    if (receiver.kind === 'app') return `flask.Flask.${method}`;
    if (receiver.kind === 'blueprint') return `flask.Blueprint.${method}`;
    if (receiver.kind === 'external-result') return `${receiver.name}().${method}`;
  }
  return shapeDottedName(resolver, facts, calleeNode ?? null) ?? calleeNode?.text ?? '';
}

/** Returns what `dottedName` returns for a node, read from the shapes the resolver already holds. */
function shapeDottedName(resolver: Resolver, facts: ModuleFacts, node: Parser.SyntaxNode | null): string | null {
  const parts: string[] = [];
  let shape = node ? resolver.shapeOf(facts, node) : null;

  while (shape && shape.type === 'attribute') {
    if (shape.name === null || parts.length >= MAX_EXPRESSION_DEPTH) return null;
    parts.unshift(shape.name);
    shape = shape.child ? resolver.shapeOf(facts, shape.child) : null;
  }
  if (!shape || shape.type !== 'identifier') return null;

  parts.unshift(shape.name!);
  return parts.join('.');
}

function describeAssignments(resolver: Resolver, facts: ModuleFacts): PythonAssignment[] {
  const result: PythonAssignment[] = [];
  const file = facts.module.file;

  for (const node of [...facts.nameAssignments, ...facts.attributeAssignments]) {
    const { left, right: value, scope } = facts.assignmentParts.get(node)!;
    const path: string[] = [];
    let base: Parser.SyntaxNode | null = left;
    while (base && (base.type === 'attribute' || base.type === 'subscript')) {
      if (base.type === 'attribute') {
        path.unshift(base.childForFieldName('attribute')?.text ?? '*');
        base = base.childForFieldName('object');
      } else {
        path.unshift(literalString(base.childForFieldName('subscript'), file) ?? '*');
        base = base.childForFieldName('value');
      }
    }
    if (!base) continue;

    const isName = base === left;
    const ref = !isName ? resolver.resolveExpression(facts, scope, base) : UNKNOWN;
    result.push({
      module: facts.module,
      scope,
      className: isName && mayBeInsideClass(facts, node) ? classBodyOwner(node) : null,
      value,
      location: nodeLocation(file, left),
      app: ref.kind === 'app' ? ref.app : null,
      path: isName ? [left.text] : path,
      receiver: isName ? null : base.text,
    });
  }
  return result.sort((a, b) => a.location.start - b.location.start);
}

/** Returns the name of the class whose body directly contains a statement, or null. */
function classBodyOwner(node: Parser.SyntaxNode): string | null {
  const block = node.parent?.parent;
  const owner = block?.type === 'block' ? block.parent : null;
  return owner?.type === 'class_definition' ? (owner.childForFieldName('name')?.text ?? null) : null;
}

/** Finds the function that creates and returns an app, if the app is created inside one. */
function findFactory(resolver: Resolver, app: FlaskApp): PythonFunction | null {
  const facts = resolver.factsOf(app.module);
  const callNode = facts.calls.find((node) => node.startIndex === app.location.start && node.endIndex === app.location.end);
  if (!callNode) return null;

  for (let fn = enclosingFunction(facts, callNode); fn; fn = fn.parent) {
    const returned = resolver.returnOf(fn, 0);
    if (returned.kind === 'app' && returned.app === app) return fn;
  }
  return null;
}

function collectRegistrations(resolver: Resolver, calls: PythonCall[]): void {
  for (const call of calls) {
    if (call.method !== 'register_blueprint' || !call.receiver) continue;

    const facts = resolver.factsOf(call.module);
    const receiverNode = call.node.childForFieldName('function')?.childForFieldName('object');
    const receiver = receiverNode ? resolver.resolveExpression(facts, call.scope, receiverNode) : UNKNOWN;
    const first = call.args.find((arg) => arg.name === null) ?? call.args.find((arg) => arg.name === 'blueprint');
    if (!first) continue;

    const registered = resolver.resolveExpression(facts, call.scope, first.node);
    if (registered.kind !== 'blueprint') continue;
    if (receiver.kind !== 'app' && receiver.kind !== 'blueprint') continue;

    const prefix = call.args.find((arg) => arg.name === 'url_prefix');
    registered.blueprint.registrations.push({
      app: receiver.kind === 'app' ? receiver.app : null,
      parent: receiver.kind === 'blueprint' ? receiver.blueprint : null,
      urlPrefix: prefix ? resolver.literalOf(facts, call.scope, prefix.node) : null,
      location: call.location,
    });
  }
}

function collectDecoratorRoutes(resolver: Resolver, facts: ModuleFacts, routes: Route[]): void {
  for (const decorator of facts.decorators) {
    const call = decorator.firstNamedChild;
    if (call?.type !== 'call') continue;

    // The call is also one of the module's calls, so its shape and its callee's are read already.
    const callee = resolver.shapeOf(facts, call).child;
    const calleeShape = callee ? resolver.shapeOf(facts, callee) : null;
    const method = calleeShape?.type === 'attribute' ? calleeShape.name : null;
    if (!method || !(method in ROUTE_METHODS)) continue;

    const scope = enclosingFunction(facts, decorator);
    const owner = resolver.resolveExpression(facts, scope, calleeShape!.child!);
    if (owner.kind !== 'app' && owner.kind !== 'blueprint') continue;

    const args = argumentNodes(call);
    const ruleArg = args.find((arg) => arg.name === null) ?? args.find((arg) => arg.name === 'rule');
    const rule = ruleArg ? resolver.literalOf(facts, scope, ruleArg.node) : null;
    if (rule === null) continue;

    const methodsArg = args.find((arg) => arg.name === 'methods');
    // `callArguments` evaluates an argument one level below the call, and so does this.
    const methods = methodsArg ? evaluate(methodsArg.value, facts.module.file, 1) : undefined;
    const definition = decorator.parent?.childForFieldName('definition');
    const handler = definition ? (facts.functionByNodeId.get(definition.id) ?? null) : null;
    addRoutes(routes, owner, rule, routeMethods(method, methods), handler, nodeLocation(facts.module.file, decorator), 'decorator');
  }
}

function collectCallRoutes(resolver: Resolver, calls: PythonCall[], routes: Route[]): void {
  for (const call of calls) {
    const facts = resolver.factsOf(call.module);

    if (call.method === 'add_url_rule') {
      const receiverNode = call.node.childForFieldName('function')?.childForFieldName('object');
      const owner = receiverNode ? resolver.resolveExpression(facts, call.scope, receiverNode) : UNKNOWN;
      if (owner.kind !== 'app' && owner.kind !== 'blueprint') continue;
      const ruleArg = call.args.find((arg) => arg.name === null) ?? call.args.find((arg) => arg.name === 'rule');
      const rule = ruleArg ? resolver.literalOf(facts, call.scope, ruleArg.node) : null;
      if (rule === null) continue;
      const viewArg = call.args.find((arg) => arg.name === 'view_func') ?? call.args.filter((arg) => arg.name === null)[2];
      const view = viewArg ? resolver.resolveExpression(facts, call.scope, viewArg.node) : UNKNOWN;
      addRoutes(routes, owner, rule, routeMethods('route', call.args.find((arg) => arg.name === 'methods')?.value), view.kind === 'function' ? view.fn : null, call.location, 'add_url_rule');
      continue;
    }

    const exporter = exporterOf(resolver, call);
    if (exporter) {
      addRoutes(routes, { kind: 'app', app: exporter.app }, exporter.path, ['GET'], null, call.location, 'extension');
      continue;
    }

    if (DISPATCHER_MIDDLEWARE.has(call.callee)) {
      const app = dispatcherApp(resolver, call);
      const mounts = call.args.find((arg, index) => arg.name === 'mounts' || (arg.name === null && index === 1));
      if (!app || !mounts || mounts.value.kind !== 'dict') continue;
      for (const entry of mounts.value.entries) {
        if (entry.key.kind === 'literal' && typeof entry.key.value === 'string') {
          addRoutes(routes, { kind: 'app', app }, entry.key.value, ['GET'], null, call.location, 'extension');
        }
      }
    }
  }
}

/** Recognises `PrometheusMetrics(app)` and `metrics.init_app(app)`, which serve `/metrics` unless `path` says otherwise. */
function exporterOf(resolver: Resolver, call: PythonCall): { app: FlaskApp; path: string } | null {
  const facts = resolver.factsOf(call.module);
  let constructorCall: Parser.SyntaxNode | null = null;
  let appNode: Parser.SyntaxNode | null = null;

  if (PROMETHEUS_EXPORTERS.test(call.callee)) {
    constructorCall = call.node;
    appNode = (call.args.find((arg) => arg.name === 'app') ?? call.args.find((arg) => arg.name === null))?.node ?? null;
  } else if (call.method === 'init_app') {
    const receiverNode = call.node.childForFieldName('function')?.childForFieldName('object');
    const receiver = receiverNode ? resolver.resolveExpression(facts, call.scope, receiverNode) : UNKNOWN;
    const exporterName = receiver.kind === 'external-result' ? receiver.name.replace(/\.for_app_factory$/, '') : '';
    if (receiver.kind !== 'external-result' || !PROMETHEUS_EXPORTERS.test(exporterName)) return null;
    constructorCall = receiver.node;
    appNode = (call.args.find((arg) => arg.name === 'app') ?? call.args.find((arg) => arg.name === null))?.node ?? null;
  }
  if (!constructorCall || !appNode) return null;

  const app = resolver.resolveExpression(facts, call.scope, appNode);
  if (app.kind !== 'app') return null;

  const constructorFacts = resolver.allFacts.find((candidate) => candidate.module.tree.rootNode === rootOf(constructorCall!)) ?? facts;
  const pathArg = callArguments(constructorCall, constructorFacts.module.file).find((arg) => arg.name === 'path');
  if (!pathArg) return { app: app.app, path: '/metrics' };
  if (pathArg.value.kind === 'literal' && typeof pathArg.value.value === 'string') return { app: app.app, path: pathArg.value.value };
  return null;
}

function rootOf(node: Parser.SyntaxNode): Parser.SyntaxNode {
  let current = node;
  while (current.parent) current = current.parent;
  return current;
}

/** Returns the app whose `wsgi_app` a `DispatcherMiddleware(...)` call wraps. */
function dispatcherApp(resolver: Resolver, call: PythonCall): FlaskApp | null {
  const facts = resolver.factsOf(call.module);
  const first = call.args.find((arg) => arg.name === null || arg.name === 'app');
  if (!first) return null;

  const target = first.node.type === 'attribute' ? first.node.childForFieldName('object') : first.node;
  const ref = target ? resolver.resolveExpression(facts, call.scope, target) : UNKNOWN;
  return ref.kind === 'app' ? ref.app : null;
}

/** Returns the HTTP methods of a route from its `methods=` value, or the decorator's default. */
function routeMethods(decoratorName: string, methods: PyValue | undefined): string[] {
  if (methods?.kind === 'list') {
    const names = methods.items.flatMap((item) => (item.kind === 'literal' && typeof item.value === 'string' ? [item.value.toUpperCase()] : []));
    if (names.length > 0) return names;
  }
  return ROUTE_METHODS[decoratorName] ?? ['GET'];
}

function addRoutes(
  routes: Route[],
  owner: Ref,
  rule: string,
  methods: string[],
  handler: PythonFunction | null,
  location: Route['location'],
  source: Route['source'],
): void {
  if (owner.kind === 'app') {
    routes.push({ path: normalisePath(rule), rule, methods, app: owner.app, blueprint: null, handler, location, source });
    return;
  }
  if (owner.kind !== 'blueprint') return;

  const mounts = blueprintMounts(owner.blueprint, 0);
  if (mounts.length === 0) {
    routes.push({ path: joinPath(owner.blueprint.urlPrefix, rule), rule, methods, app: null, blueprint: owner.blueprint, handler, location, source });
    return;
  }
  for (const mount of mounts) {
    routes.push({ path: joinPath(mount.prefix, rule), rule, methods, app: mount.app, blueprint: owner.blueprint, handler, location, source });
  }
}

/** Lists the apps a blueprint is reachable from and the URL prefix it gets on each, through nested blueprints. */
function blueprintMounts(blueprint: Blueprint, depth: number): Array<{ app: FlaskApp; prefix: string | null }> {
  if (depth > 8) return [];

  const mounts: Array<{ app: FlaskApp; prefix: string | null }> = [];
  for (const registration of blueprint.registrations) {
    const ownPrefix = registration.urlPrefix ?? blueprint.urlPrefix;
    if (registration.app) {
      mounts.push({ app: registration.app, prefix: ownPrefix });
      continue;
    }
    if (!registration.parent) continue;
    for (const parentMount of blueprintMounts(registration.parent, depth + 1)) {
      mounts.push({ app: parentMount.app, prefix: joinPrefixes(parentMount.prefix, ownPrefix) });
    }
  }
  return mounts;
}

function joinPrefixes(outer: string | null, inner: string | null): string | null {
  if (!outer) return inner;
  if (!inner) return outer;
  return `${outer.replace(/\/+$/, '')}/${inner.replace(/^\/+/, '')}`;
}

/** Joins a URL prefix and a rule as Flask does: one slash between them, the rule's trailing slash kept. */
export function joinPath(prefix: string | null, rule: string): string {
  if (!prefix) return normalisePath(rule);
  if (!rule) return normalisePath(prefix);
  return normalisePath(`${prefix.replace(/\/+$/, '')}/${rule.replace(/^\/+/, '')}`);
}

function normalisePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}
