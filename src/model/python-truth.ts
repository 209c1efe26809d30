import type Parser from 'tree-sitter';
import { pythonTruth } from '../parsers/python';
import type { PythonModule, PyValue, SystemModel } from './types';

/** Why a setting is on by default: a literal, or the fallback of an environment variable. */
export interface DefaultTruth {
  on: boolean;
  /** For a fallback: the variable read, such as `DEBUG`. */
  variable: string | null;
}

/**
 * Decides whether an expression is true when the environment sets nothing: a true literal, an
 * environment lookup whose fallback is true in Python (any non-empty string is), or a comparison of
 * such a lookup's fallback (`MODE == "development"` where `MODE = os.getenv("MODE", "development")`).
 * Returns null when the value depends on something unknown.
 */
export function truthWhenUnset(model: SystemModel, module: PythonModule, node: Parser.SyntaxNode, depth = 0): DefaultTruth | null {
  if (depth > 6) return null;

  if (node.type === 'parenthesized_expression' && node.firstNamedChild) return truthWhenUnset(model, module, node.firstNamedChild, depth + 1);
  if (node.type === 'comparison_operator') return comparisonWhenUnset(model, module, node);
  if (node.type === 'not_operator') {
    const inner = node.childForFieldName('argument');
    const truth = inner ? truthWhenUnset(model, module, inner, depth + 1) : null;
    return truth ? { on: !truth.on, variable: truth.variable } : null;
  }

  const value = model.python.valueOf(module, node);
  return valueTruth(value);
}

function valueTruth(value: PyValue): DefaultTruth | null {
  if (value.kind === 'env') {
    if (!value.fallback) return { on: false, variable: value.name };
    const fallback = unwrapConversion(value.fallback);
    const truth = pythonTruth(fallback);
    return truth === null ? null : { on: truth, variable: value.name };
  }
  if (value.kind === 'call' && /^(bool|int|str)$/.test(value.callee) && value.args.length === 1) {
    const inner = valueTruth(value.args[0].value);
    if (!inner || value.callee !== 'int') return inner;
    const fallback = value.args[0].value.kind === 'env' ? value.args[0].value.fallback : null;
    if (fallback?.kind === 'literal' && typeof fallback.value === 'string') {
      return { on: Number(fallback.value) !== 0 && !Number.isNaN(Number(fallback.value)), variable: inner.variable };
    }
    return inner;
  }

  const truth = pythonTruth(value);
  return truth === null ? null : { on: truth, variable: null };
}

function unwrapConversion(value: PyValue): PyValue {
  if (value.kind === 'call' && /^(bool|int|str)$/.test(value.callee) && value.args.length === 1) return value.args[0].value;
  return value;
}

/** `MODE == "development"`, where `MODE` is an environment lookup with a literal fallback. */
function comparisonWhenUnset(model: SystemModel, module: PythonModule, node: Parser.SyntaxNode): DefaultTruth | null {
  const operands = node.namedChildren;
  const operator = node.children.find((child) => child.type === '==' || child.type === '!=' || child.type === 'in');
  if (operands.length !== 2 || !operator) return null;

  const values = operands.map((operand) => model.python.valueOf(module, withoutCaseCall(operand)));
  const envIndex = values.findIndex((value) => value.kind === 'env');
  if (envIndex < 0) return null;

  const env = values[envIndex] as Extract<PyValue, { kind: 'env' }>;
  const other = values[1 - envIndex];
  const fallback = env.fallback;
  if (!fallback || fallback.kind !== 'literal') return null;

  if (operator.type === 'in' && other.kind === 'list') {
    const on = other.items.some((item) => item.kind === 'literal' && item.value === fallback.value);
    return { on, variable: env.name };
  }
  if (other.kind !== 'literal') return null;

  const equal = String(fallback.value).trim().toLowerCase() === String(other.value).trim().toLowerCase();
  return { on: operator.type === '==' ? equal : !equal, variable: env.name };
}

/** Strips `.lower()`, `.upper()`, `.strip()` and `.casefold()`; comparisons here ignore case and spaces anyway. */
function withoutCaseCall(node: Parser.SyntaxNode): Parser.SyntaxNode {
  let current = node;
  while (current.type === 'call') {
    const callee = current.childForFieldName('function');
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : null;
    const object = callee?.childForFieldName('object');
    if (!method || !object || !/^(lower|upper|strip|casefold)$/.test(method)) break;
    current = object;
  }
  return current;
}
