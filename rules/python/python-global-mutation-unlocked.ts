import type Parser from 'tree-sitter';
import { isTestModule } from '../../src/model/flask-queries';
import type { PythonFunction, PythonModule } from '../../src/model/types';
import { nodeLocation, pythonQuery } from '../../src/parsers/python';
import { deeper, endOfLine, enclosingStatement, ensureImport, indentationAt } from '../../src/fix/python-edits';
import { defineRule, type Fix, type TextEdit } from '../../src/rule';

/**
 * Text every augmented assignment (`+=`, `//=`, `>>=` and the rest) or `global` statement contains.
 * It also matches `<=` and `>=`, which only costs a query run.
 */
const MUTATION_TEXT = /[-+*/%&|^@<>]=|\bglobal\b/;

const MUTATION_QUERY = `
(augmented_assignment left: (_) @target) @mutation
(global_statement (identifier) @name) @global
`;

export default defineRule({
  meta: {
    id: 'python-global-mutation-unlocked',
    area: 'python',
    description: 'Module-level state is mutated without a lock',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      unlocked: '`{{statement}}` in `{{function}}` updates module-level `{{name}}` without a lock, so concurrent requests under `gthread` lose updates.',
    },
    docs: {
      whatItDoes:
        'Reports augmented assignments (`hits += 1`, `stats["errors"] += 1`) to module-level names inside functions, outside a `with <lock>:` block: names declared `global`, and items or attributes of module-level objects.',
      whyItMatters:
        '`x += 1` is a read, an add and a write. Under threaded Gunicorn workers two requests can read the same value and both write it back, so counts drift. Each worker process also has its own copy, so such counters are per-process anyway.',
      examples: {
        bad: {
          'main.py':
            'from flask import Flask\n\napp = Flask(__name__)\nhits = 0\n\n\n@app.get("/")\ndef index():\n    global hits\n    hits += 1\n    return {"hits": hits}\n',
        },
        good: {
          'main.py':
            'import threading\n\nfrom flask import Flask\n\napp = Flask(__name__)\nhits = 0\nhits_lock = threading.Lock()\n\n\n@app.get("/")\ndef index():\n    global hits\n    with hits_lock:\n        hits += 1\n    return {"hits": hits}\n',
        },
      },
      fixSafety: 'Unsafe: the fix wraps the statement in `with _<name>_lock:`, defines `_<name>_lock = threading.Lock()` after the module-level assignment of the name, and imports `threading`. Behaviour under one thread is unchanged; under several, updates are serialised, and code that already guards the name with another lock would now take two.',
      useInstead: 'Guard the update with a `threading.Lock`, or count with a Prometheus counter, which is thread-safe and works across worker processes in multiprocess mode.',
      knownLimitations: 'Mutations through method calls (`items.append(x)`, `cache.update(...)`) are not reported; they are atomic for built-in types in CPython but not for every object.',
    },
  },
  check(model, context) {
    for (const module of model.python.modules) {
      if (isTestModule(module) || !MUTATION_TEXT.test(module.file.text)) continue;

      const globals = new Map<number, Set<string>>();
      const mutations: Array<{ statement: Parser.SyntaxNode; target: Parser.SyntaxNode }> = [];
      for (const match of pythonQuery(MUTATION_QUERY).matches(module.tree.rootNode)) {
        const nodes = Object.fromEntries(match.captures.map((capture) => [capture.name, capture.node]));
        if (nodes.global && nodes.name) {
          const fn = model.python.functionAt(module, nodes.global);
          if (!fn) continue;
          const names = globals.get(fn.node.id) ?? new Set<string>();
          names.add(nodes.name.text);
          globals.set(fn.node.id, names);
        } else if (nodes.mutation && nodes.target) {
          mutations.push({ statement: nodes.mutation, target: nodes.target });
        }
      }

      for (const { statement, target } of mutations) {
        const fn = model.python.functionAt(module, statement);
        if (!fn || isInsideLock(statement)) continue;

        const name = baseName(target);
        if (!name || !isModuleState(module, fn, name, target, globals.get(fn.node.id))) continue;

        context.report({
          messageId: 'unlocked',
          data: { statement: statement.text.replace(/\s+/g, ' '), function: fn.name, name },
          location: nodeLocation(module.file, statement),
          fix: lockFix(module, statement, name),
        });
      }
    }
  },
});

function lockFix(module: PythonModule, statement: Parser.SyntaxNode, name: string): Fix | undefined {
  const binding = module.topLevelNames.get(name);
  if (!binding) return undefined;

  const lock = `_${name.replace(/^_+/, '')}_lock`;
  const indentation = indentationAt(module, statement.startIndex);
  const text = module.file.text.slice(statement.startIndex, statement.endIndex).replace(/(\r\n|\r|\n)/g, `$1${deeper('')}`);
  const edits: TextEdit[] = [{ file: module.file.relPath, start: statement.startIndex, end: statement.endIndex, text: `with ${lock}:\n${deeper(indentation)}${text}` }];

  if (!module.topLevelNames.has(lock)) {
    const bindingStatement = module.tree.rootNode.descendantForIndex(binding.start);
    const offset = endOfLine(module, enclosingStatement(bindingStatement).endIndex);
    edits.push({ file: module.file.relPath, start: offset, end: offset, text: `${lock} = threading.Lock()\n` });
  }
  const importThreading = ensureImport(module, 'threading', null);
  if (importThreading) edits.push(importThreading);
  return { title: `Guard \`${name}\` with a lock`, safety: 'unsafe', edits };
}

/** The name at the root of `x`, `x[k]` or `x.attr`. */
function baseName(target: Parser.SyntaxNode): string | null {
  let node: Parser.SyntaxNode | null = target;
  while (node && (node.type === 'subscript' || node.type === 'attribute')) {
    node = node.type === 'subscript' ? node.childForFieldName('value') : node.childForFieldName('object');
  }
  return node?.type === 'identifier' ? node.text : null;
}

function isModuleState(module: PythonModule, fn: PythonFunction, name: string, target: Parser.SyntaxNode, declaredGlobal: Set<string> | undefined): boolean {
  if (!module.topLevelNames.has(name) || name === 'self' || fn.parameters.includes(name)) return false;
  if (target.type === 'identifier') return declaredGlobal?.has(name) === true;

  // `stats["hits"] += 1` mutates the module object unless the function binds its own `stats`.
  const assignsLocally = new RegExp(`(^|\\n)\\s*${name}\\s*=[^=]`).test(fn.node.text);
  return !assignsLocally;
}

function isInsideLock(node: Parser.SyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'function_definition') return false;
    if (parent.type !== 'with_statement') continue;
    const items = parent.namedChildren.find((child) => child.type === 'with_clause');
    if (items && /lock|mutex|semaphore/i.test(items.text)) return true;
  }
  return false;
}
