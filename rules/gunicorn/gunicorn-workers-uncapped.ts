import type Parser from 'tree-sitter';
import { dottedName, pythonQuery } from '../../src/parsers/python';
import { WORKERS_EXPRESSION } from '../../src/fix/gunicorn-config';
import { defineRule } from '../../src/rule';
import { replaceConfigSetting, settingFix } from './setting-fixes';

/** Calls that count the host's CPUs, because neither reads a container's CPU quota. */
const CPU_COUNTERS = /(^|\.)(cpu_count|sched_getaffinity)$/;
const ENV_LOOKUPS = /(^|\.)(environ\.get|getenv|environ\.setdefault)$/;
/** How many module-level names a formula is followed through (`cores = cpu_count()`, `workers = cores * 2`). */
const MAX_NAME_DEPTH = 4;

export default defineRule({
  meta: {
    id: 'gunicorn-workers-uncapped',
    area: 'gunicorn',
    description: 'The Gunicorn worker count follows `cpu_count()` without a cap or an environment override',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      uncapped:
        '`workers` follows the host\'s CPU count with no `min(...)` cap and no environment override, and a container sees every core of the host.',
    },
    docs: {
      whatItDoes:
        'Reads the `workers` expression of the config file, following module-level names, and reports a `multiprocessing.cpu_count()`, `os.cpu_count()` or `os.sched_getaffinity()` formula that is not inside `min(...)` and has no environment lookup (`WEB_CONCURRENCY`) that can replace it. On the command line, `-w $(nproc)` counts the same way.',
      whyItMatters:
        '`cpu_count()` returns the host\'s cores, not the container\'s CPU limit: a container limited to 1 CPU on a 64-core host starts `64 * 2 + 1 = 129` workers, each with its own copy of the app, and runs out of memory or gets throttled.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'import multiprocessing\n\nbind = "0.0.0.0:8000"\nworkers = multiprocessing.cpu_count() * 2 + 1\n',
        },
        good: {
          'gunicorn.conf.py':
            'import multiprocessing\nimport os\n\nbind = "0.0.0.0:8000"\nworkers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))\n',
        },
      },
      useInstead: 'Cap the formula and let the environment override it: `int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))`.',
      fixSafety:
        'Unsafe: the fix replaces the expression in the config file with `int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))` and adds `import multiprocessing` and `import os` when needed. On hosts with many CPUs the service starts fewer workers than before. `-w $(nproc)` on the command line gets no fix.',
      knownLimitations: 'Formulas computed inside helper functions (`workers = compute_workers()`) are not followed.',
    },
  },
  check(model, context) {
    const workers = model.gunicorn.settings.get('workers');
    if (!model.gunicorn.used || !workers?.location) return;

    const fromShell = workers.node === null && workers.value.kind === 'unknown' && /\bnproc\b/.test(workers.value.text);
    const fromConfig = workers.node !== null && isUncappedFormula(workers.node);
    if (!fromShell && !fromConfig) return;

    const edits = fromConfig ? replaceConfigSetting(model, workers, WORKERS_EXPRESSION, ['multiprocessing', 'os']) : null;
    context.report({ messageId: 'uncapped', location: workers.location, fix: settingFix('Cap the worker count and read `WEB_CONCURRENCY` first', 'unsafe', edits) });
  },
});

/** True when an expression counts CPUs outside any `min(...)` and reads no environment variable. */
function isUncappedFormula(expression: Parser.SyntaxNode): boolean {
  const expressions = followNames(expression);
  const calls = expressions.flatMap((node) => pythonQuery('(call function: (_) @callee) @call').captures(node).filter((capture) => capture.name === 'call'));
  const environ = expressions.some((node) => pythonQuery('(subscript value: (_) @mapping)').captures(node).some((capture) => /(^|\.)environ$/.test(capture.node.text)));

  const counters = calls.filter((capture) => CPU_COUNTERS.test(calleeName(capture.node)));
  const overridden = environ || calls.some((capture) => ENV_LOOKUPS.test(calleeName(capture.node)));
  if (counters.length === 0 || overridden) return false;

  return counters.some((capture) => !insideMin(capture.node, expressions));
}

function calleeName(call: Parser.SyntaxNode): string {
  return dottedName(call.childForFieldName('function')) ?? '';
}

/** True when a call sits inside a `min(...)` call within one of the expressions. */
function insideMin(node: Parser.SyntaxNode, roots: Parser.SyntaxNode[]): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === 'call' && calleeName(current) === 'min') return true;
    if (roots.some((root) => root.startIndex === current!.startIndex && root.endIndex === current!.endIndex)) return false;
  }
  return false;
}

/**
 * Collects the expression and, transitively, the values of the module-level names it reads. For
 * `workers = cores * 2 + 1` with `cores = multiprocessing.cpu_count()` that is both right-hand sides.
 */
function followNames(expression: Parser.SyntaxNode): Parser.SyntaxNode[] {
  const assignments = moduleAssignments(expression.tree.rootNode);
  const result = [expression];
  const seen = new Set<string>();
  let frontier = [expression];

  for (let depth = 0; depth < MAX_NAME_DEPTH && frontier.length > 0; depth++) {
    const next: Parser.SyntaxNode[] = [];
    for (const node of frontier) {
      const names = node.type === 'identifier' ? [node] : pythonQuery('(identifier) @name').captures(node).map((capture) => capture.node);
      for (const name of names) {
        const value = [...(assignments.get(name.text) ?? [])].reverse().find((candidate) => candidate.startIndex < name.startIndex);
        if (!value || seen.has(name.text)) continue;
        seen.add(name.text);
        next.push(value);
      }
    }
    result.push(...next);
    frontier = next;
  }
  return result;
}

/** Right-hand sides of the module's plain `name = value` assignments, by name, in file order. */
function moduleAssignments(root: Parser.SyntaxNode): Map<string, Parser.SyntaxNode[]> {
  const assignments = new Map<string, Parser.SyntaxNode[]>();
  const query = pythonQuery('(module (expression_statement (assignment left: (identifier) @name right: (_) @value)))');

  for (const match of query.matches(root)) {
    const name = match.captures.find((capture) => capture.name === 'name')?.node.text;
    const value = match.captures.find((capture) => capture.name === 'value')?.node;
    if (!name || !value) continue;

    const list = assignments.get(name) ?? [];
    list.push(value);
    assignments.set(name, list);
  }
  return assignments;
}
