import type Parser from 'tree-sitter';
import type { ParseProblem, PyArgument, PyValue } from '../model/types';
import type { Location, SourceFile } from '../source';

interface TreeSitterModules {
  Parser: typeof Parser;
  Python: unknown;
}

/**
 * Loads tree-sitter once. Its JavaScript wrapper breaks when evaluated twice in one process, which
 * jest does for every test file, so the test environment passes in the copy it loaded.
 */
function treeSitter(): TreeSitterModules {
  const provided = (globalThis as { __prodcheckTreeSitter?: TreeSitterModules }).__prodcheckTreeSitter;
  if (provided) return provided;

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { Parser: require('tree-sitter') as typeof Parser, Python: require('tree-sitter-python') as unknown };
}

let sharedParser: Parser | null = null;

function parser(): Parser {
  if (!sharedParser) {
    const { Parser: ParserClass, Python } = treeSitter();
    sharedParser = new ParserClass();
    sharedParser.setLanguage(Python as Parser.Language);
  }
  return sharedParser;
}

const queryCache = new Map<string, Parser.Query>();

/** Returns a compiled query over the Python grammar; each source string is compiled once per process. */
export function pythonQuery(source: string): Parser.Query {
  let query = queryCache.get(source);
  if (!query) {
    const { Parser: ParserClass, Python } = treeSitter();
    query = new ParserClass.Query(Python as Parser.Language, source);
    queryCache.set(source, query);
  }
  return query;
}

export interface ParsedPython {
  tree: Parser.Tree;
  problems: ParseProblem[];
}

/** Parses a Python file. Syntax errors become problems located at the first error; the tree is still returned. */
export function parsePython(file: SourceFile): ParsedPython {
  const tree = parser().parse(file.text);
  const problems: ParseProblem[] = [];
  const error = tree.rootNode.hasError ? firstErrorNode(tree.rootNode) : null;

  if (error) {
    const what = error.isMissing ? `missing \`${error.type}\`` : 'invalid syntax';
    problems.push({
      location: { file, start: error.startIndex, end: Math.max(error.endIndex, error.startIndex) },
      message: `Python syntax error (${what}); the rest of the file is checked as far as it parses`,
    });
  }

  return { tree, problems };
}

/** Finds the first ERROR or MISSING node, descending only into subtrees that contain one. */
function firstErrorNode(root: Parser.SyntaxNode): Parser.SyntaxNode | null {
  let node: Parser.SyntaxNode | null = root;

  while (node) {
    if (node.type === 'ERROR' || node.isMissing) return node;

    let next: Parser.SyntaxNode | null = null;
    for (const child of node.children) {
      if (child.type === 'ERROR' || child.isMissing || child.hasError) {
        next = child;
        break;
      }
    }
    if (!next) return node;
    node = next;
  }
  return null;
}

export function nodeLocation(file: SourceFile, node: Parser.SyntaxNode): Location {
  return { file, start: node.startIndex, end: node.endIndex };
}

/** Attribute chains and nested expressions deeper than this are not evaluated, so hostile input cannot exhaust the stack. */
export const MAX_EXPRESSION_DEPTH = 200;

/** Returns the dotted text of a name or attribute chain (`os.environ.get`), or null for anything else. */
export function dottedName(node: Parser.SyntaxNode | null): string | null {
  const parts: string[] = [];
  let current = node;

  while (current && current.type === 'attribute') {
    const attribute = current.childForFieldName('attribute');
    if (!attribute || parts.length >= MAX_EXPRESSION_DEPTH) return null;
    parts.unshift(attribute.text);
    current = current.childForFieldName('object');
  }
  if (!current || current.type !== 'identifier') return null;

  parts.unshift(current.text);
  return parts.join('.');
}

const ENV_GETTERS = new Set(['os.environ.get', 'environ.get', 'os.getenv', 'getenv', 'os.environ.setdefault']);
const ENV_MAPPINGS = new Set(['os.environ', 'environ']);

/**
 * Evaluates what is statically known about an expression: literals, containers of literals,
 * environment lookups with their fallback, names and calls. Never runs anything.
 */
export function evaluate(node: Parser.SyntaxNode | null, file: SourceFile, depth = 0): PyValue {
  if (!node) return { kind: 'unknown', text: '' };
  if (depth > MAX_EXPRESSION_DEPTH) return { kind: 'unknown', text: node.text.slice(0, 80) };

  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((child) => child.type !== 'comment');
      return evaluate(inner ?? null, file, depth + 1);
    }
    case 'string':
      return evaluateString(node);
    case 'concatenated_string': {
      let text = '';
      for (const part of node.namedChildren) {
        const value = evaluateString(part);
        if (value.kind !== 'literal' || typeof value.value !== 'string') return { kind: 'unknown', text: node.text };
        text += value.value;
      }
      return { kind: 'literal', value: text };
    }
    case 'integer':
      return { kind: 'literal', value: parseIntegerLiteral(node.text) };
    case 'float':
      return { kind: 'literal', value: Number(node.text.replace(/_/g, '')) };
    case 'true':
      return { kind: 'literal', value: true };
    case 'false':
      return { kind: 'literal', value: false };
    case 'none':
      return { kind: 'literal', value: null };
    case 'unary_operator': {
      const operand = evaluate(node.childForFieldName('argument'), file, depth + 1);
      const operator = node.childForFieldName('operator')?.text;
      if (operator === '-' && operand.kind === 'literal' && typeof operand.value === 'number') {
        return { kind: 'literal', value: -operand.value };
      }
      return { kind: 'unknown', text: node.text };
    }
    case 'list':
    case 'tuple':
    case 'set':
      return { kind: 'list', items: node.namedChildren.filter((child) => child.type !== 'comment').map((child) => evaluate(child, file, depth + 1)) };
    case 'dictionary':
      return {
        kind: 'dict',
        entries: node.namedChildren
          .filter((child) => child.type === 'pair')
          .map((pair) => ({ key: evaluate(pair.childForFieldName('key'), file, depth + 1), value: evaluate(pair.childForFieldName('value'), file, depth + 1) })),
      };
    case 'identifier':
      return { kind: 'name', name: node.text };
    case 'attribute': {
      const name = dottedName(node);
      return name ? { kind: 'name', name } : { kind: 'unknown', text: node.text };
    }
    case 'subscript': {
      const value = dottedName(node.childForFieldName('value'));
      const key = node.childForFieldName('subscript');
      if (value && ENV_MAPPINGS.has(value)) return { kind: 'env', name: literalString(key, file), fallback: null };
      return { kind: 'unknown', text: node.text };
    }
    case 'boolean_operator': {
      // `os.environ.get("X") or "dev"` falls back to the right operand when the variable is unset or empty.
      const left = evaluate(node.childForFieldName('left'), file, depth + 1);
      const operator = node.childForFieldName('operator')?.text;
      if (operator === 'or' && left.kind === 'env' && left.fallback === null) {
        return { kind: 'env', name: left.name, fallback: evaluate(node.childForFieldName('right'), file, depth + 1) };
      }
      return { kind: 'unknown', text: node.text };
    }
    case 'call':
      return evaluateCall(node, file, depth + 1);
    default:
      return { kind: 'unknown', text: node.text };
  }
}

function evaluateCall(node: Parser.SyntaxNode, file: SourceFile, depth: number): PyValue {
  const callee = dottedName(node.childForFieldName('function'));
  const args = callArguments(node, file, depth);
  if (!callee) return { kind: 'unknown', text: node.text };

  if (ENV_GETTERS.has(callee)) {
    const name = args[0] && args[0].name === null ? args[0].value : null;
    const fallback = args.find((arg, index) => (arg.name === null && index === 1) || arg.name === 'default');
    return {
      kind: 'env',
      name: name && name.kind === 'literal' && typeof name.value === 'string' ? name.value : null,
      fallback: fallback ? fallback.value : null,
    };
  }

  return { kind: 'call', callee, args };
}

/** Returns the arguments of a call node, positional ones with a null name. `*args` and `**kwargs` are skipped. */
export function callArguments(call: Parser.SyntaxNode, file: SourceFile, depth = 0): PyArgument[] {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return [];

  const result: PyArgument[] = [];
  for (const child of list.namedChildren) {
    if (child.type === 'comment' || child.type === 'list_splat' || child.type === 'dictionary_splat') continue;
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name')?.text ?? null;
      const valueNode = child.childForFieldName('value');
      result.push({ name, value: evaluate(valueNode, file, depth + 1), node: valueNode ?? child, location: nodeLocation(file, child) });
    } else {
      result.push({ name: null, value: evaluate(child, file, depth + 1), node: child, location: nodeLocation(file, child) });
    }
  }
  return result;
}

/** Returns the value of a plain string literal node, or null. */
export function literalString(node: Parser.SyntaxNode | null, file: SourceFile): string | null {
  if (!node) return null;
  const value = evaluate(node, file);
  return value.kind === 'literal' && typeof value.value === 'string' ? value.value : null;
}

/**
 * A one-line string literal with at most a `r`, `u` or `f` prefix and no backslash, brace or quote
 * inside. Its value is the text between its quotes, read without creating a node for each part.
 */
const SIMPLE_STRING = /^[rRuUfF]?(['"])([^'"\\{}\r\n]*)\1$/;

function evaluateString(node: Parser.SyntaxNode): PyValue {
  if (node.type !== 'string') return { kind: 'unknown', text: node.text };

  const simple = SIMPLE_STRING.exec(node.text);
  if (simple) return { kind: 'literal', value: simple[2] };

  const start = node.firstNamedChild;
  const prefix = start && start.type === 'string_start' ? start.text : '"';
  if (/[fFtT]/.test(prefix) && node.namedChildren.some((child) => child.type === 'interpolation')) {
    return { kind: 'unknown', text: node.text };
  }
  if (/[bB]/.test(prefix)) return { kind: 'unknown', text: node.text };

  const raw = /[rR]/.test(prefix);
  let text = '';
  for (const child of node.namedChildren) {
    if (child.type === 'string_content') text += raw ? child.text : unescapePython(child.text);
    else if (child.type === 'escape_sequence') text += raw ? child.text : unescapePython(child.text);
  }
  return { kind: 'literal', value: text };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\u0007',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

function unescapePython(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.|\n)/g, (match, body: string) => {
    if (/^[xuU]/.test(body) && body.length > 1) return String.fromCodePoint(parseInt(body.slice(1), 16));
    return body in SIMPLE_ESCAPES ? SIMPLE_ESCAPES[body] : match;
  });
}

function parseIntegerLiteral(text: string): number {
  const clean = text.replace(/_/g, '').toLowerCase();
  if (clean.startsWith('0x')) return parseInt(clean.slice(2), 16);
  if (clean.startsWith('0o')) return parseInt(clean.slice(2), 8);
  if (clean.startsWith('0b')) return parseInt(clean.slice(2), 2);
  return Number(clean.replace(/[lj]$/, ''));
}

/** Returns the truth value Python gives a literal (any non-empty string is true), or null when it is not a literal. */
export function pythonTruth(value: PyValue): boolean | null {
  if (value.kind === 'list') return value.items.length > 0;
  if (value.kind === 'dict') return value.entries.length > 0;
  if (value.kind !== 'literal') return null;
  if (value.value === null) return false;
  if (typeof value.value === 'string') return value.value.length > 0;
  if (typeof value.value === 'number') return value.value !== 0;
  return value.value;
}

/** Returns true for strings that configuration parsers read as "on": `1`, `true`, `yes`, `on`. */
export function isTrueString(text: string): boolean {
  return /^(1|true|yes|on|y|t)$/i.test(text.trim());
}
