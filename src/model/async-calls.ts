import type Parser from 'tree-sitter';
import { productionCalls } from './flask-queries';
import type { PythonCall, PythonFunction, SystemModel } from './types';

/** asyncio functions that run a coroutine or schedule it on a loop. */
const ASYNCIO_BRIDGES = /^asyncio(\.[a-z_]+)?\.(run|run_coroutine_threadsafe|ensure_future|create_task|gather|wait_for|wait|shield)$/;
/** Loop and thread methods that do the same when called on a loop object. */
const BRIDGE_METHODS = /^(run_until_complete|run_coroutine_threadsafe|create_task|ensure_future)$/;

/** How the result of an unbridged coroutine call is used. */
export type CoroutineUse = 'discarded' | 'tested' | 'returned' | 'passed' | 'stored';

/** Consumers that take a coroutine object as an ordinary value. */
const VALUE_CONSUMERS = /(^|\.)(jsonify|make_response|Response|bool|str|int|len|list|dict|print|dumps|format|info|debug|warning|error|append)$/;

export interface UnbridgedCall {
  call: PythonCall;
  callee: PythonFunction;
  use: CoroutineUse;
}

/** Returns the functions of the system that run a coroutine they receive (`asyncio.run_coroutine_threadsafe`, `run_until_complete`). */
export function bridgeFunctions(model: SystemModel): Set<PythonFunction> {
  const bridges = new Set<PythonFunction>();
  for (const call of model.python.calls) {
    if (!call.scope || !isBridgeCall(call)) continue;
    for (let fn: PythonFunction | null = call.scope; fn; fn = fn.parent) bridges.add(fn);
  }
  return bridges;
}

export function isBridgeCall(call: PythonCall): boolean {
  if (ASYNCIO_BRIDGES.test(call.callee) || call.callee === 'asgiref.sync.async_to_sync') return true;
  return call.target === null && call.method !== null && BRIDGE_METHODS.test(call.method);
}

/** Finds calls of `async def` functions made from synchronous code that neither awaits nor bridges the coroutine. */
export function unbridgedAsyncCalls(model: SystemModel): UnbridgedCall[] {
  const bridges = bridgeFunctions(model);
  // Filled on first use: most systems make no call of an `async def` from synchronous code, and each
  // node id is a call into tree-sitter's addon.
  const callsByNode = new Map<number, PythonCall>();

  const result: UnbridgedCall[] = [];
  for (const call of productionCalls(model)) {
    const callee = call.target;
    if (!callee?.isAsync || call.scope?.isAsync) continue;

    if (callsByNode.size === 0) {
      for (const each of model.python.calls) callsByNode.set(each.node.id, each);
    }
    const use = coroutineUse(call, callsByNode, bridges);
    if (use) result.push({ call, callee, use });
  }
  return result;
}

function coroutineUse(call: PythonCall, callsByNode: Map<number, PythonCall>, bridges: Set<PythonFunction>): CoroutineUse | null {
  let node: Parser.SyntaxNode = call.node;
  while (node.parent?.type === 'parenthesized_expression') node = node.parent;

  const parent = node.parent;
  if (!parent || parent.type === 'await') return null;

  if (parent.type === 'argument_list' || parent.type === 'keyword_argument') {
    const outerNode = parent.type === 'argument_list' ? parent.parent : parent.parent?.parent;
    const outer = outerNode ? callsByNode.get(outerNode.id) : undefined;
    if (!outer) return null;
    if (isBridgeCall(outer) || (outer.target && bridges.has(outer.target))) return null;
    return VALUE_CONSUMERS.test(outer.callee) ? 'passed' : null;
  }

  switch (parent.type) {
    case 'expression_statement':
      return 'discarded';
    case 'return_statement':
      return 'returned';
    case 'if_statement':
    case 'elif_clause':
    case 'while_statement':
    case 'not_operator':
    case 'boolean_operator':
    case 'conditional_expression':
    case 'assert_statement':
      return 'tested';
    case 'assignment':
      return storedAndNotBridged(parent, call, callsByNode, bridges) ? 'stored' : null;
    default:
      return null;
  }
}

/** `result = store.query()`: stored unless a later line of the function hands `result` to a bridge. */
function storedAndNotBridged(assignment: Parser.SyntaxNode, call: PythonCall, callsByNode: Map<number, PythonCall>, bridges: Set<PythonFunction>): boolean {
  const target = assignment.childForFieldName('left');
  if (target?.type !== 'identifier') return false;

  const scopeNode = call.scope?.node ?? call.module.tree.rootNode;
  const assignmentEnd = assignment.endIndex;
  const scopeEnd = scopeNode.endIndex;
  for (const candidate of callsByNode.values()) {
    if (candidate.module !== call.module) continue;
    // A call's location is its node's range, read once when the model was built.
    if (candidate.location.start < assignmentEnd || candidate.location.end > scopeEnd) continue;
    const passesVariable = candidate.args.some((arg) => arg.node.type === 'identifier' && arg.node.text === target.text);
    if (passesVariable && (isBridgeCall(candidate) || (candidate.target && bridges.has(candidate.target)))) return false;
  }
  return true;
}
