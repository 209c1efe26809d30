import type Parser from 'tree-sitter';
import { defineRule } from '../../src/rule';
import { findIndentationError } from './indentation';


export default defineRule({
  meta: {
    id: 'python-indentation-inconsistent',
    area: 'python',
    description: 'Indentation that Python rejects: tabs and spaces mixed, or a dedent to no enclosing level',
    severity: 'error',
    fixable: 'none',
    messages: {
      tab: 'This line\'s indentation is deeper or shallower than the lines around it depending on the width of a tab, so Python stops with `TabError` when it loads `{{file}}`.',
      dedent: 'This line is indented less than its block but matches no enclosing level, so Python stops with `IndentationError` when it loads `{{file}}`.',
    },
    docs: {
      whatItDoes:
        'Reads the indentation of each logical line of the Python modules and the Gunicorn config as Python\'s tokenizer does, measuring tabs as 8 columns and as 1 column. It reports the first line that is deeper, level or shallower than the enclosing block in one measure but not in the other (`TabError`), and the first line indented less than its block but at no enclosing level (`IndentationError`). Lines inside brackets, strings and backslash continuations, blank lines and comment-only lines do not count. The tree-sitter parser that the other rules read accepts both.',
      whyItMatters:
        'Python 3 refuses indentation whose meaning depends on the width of a tab, and a dedent that returns to no enclosing block: the module does not load, so Gunicorn fails to import the app or the config and the container exits at start. Editors can show such code aligned, so it passes review.',
      examples: {
        bad: { 'main.py': 'def ready():\n    if True:\n\treturn "ok"\n    return "no"\n' },
        good: { 'main.py': 'def ready():\n    if True:\n        return "ok"\n    return "no"\n' },
      },
      useInstead: 'Indent with four spaces only (`expand -t 4`, or the editor\'s convert-indentation command), as PEP 8 recommends.',
    },
  },
  check(model, context) {
    for (const file of model.files) {
      if (file.kind !== 'python' && file.kind !== 'gunicorn-config') continue;

      const problem = findIndentationError(file.text);
      if (!problem || insideString(model.python.modules.find((module) => module.file === file)?.tree, file.text, problem.offset)) continue;

      const lineEnd = file.text.slice(problem.offset).search(/\r|\n|$/);
      context.report({ messageId: problem.kind, data: { file: file.relPath }, location: { file, start: problem.offset, end: problem.offset + lineEnd } });
    }
  },
});

/**
 * True when tree-sitter reads the line at `offset` as part of a string literal. The scanner above
 * follows Python's tokenizer, but a line it took for code inside a string (an f-string that nests
 * its own quotes, which Python 3.12 allows) must not be reported.
 */
function insideString(tree: Parser.Tree | undefined, text: string, offset: number): boolean {
  if (!tree) return false;

  const first = offset + (/^[ \t\f]*/.exec(text.slice(offset))?.[0].length ?? 0);
  for (let node: Parser.SyntaxNode | null = tree.rootNode.descendantForIndex(first); node; node = node.parent) {
    if (node.type === 'string' || node.type === 'string_content') return true;
  }
  return false;
}
