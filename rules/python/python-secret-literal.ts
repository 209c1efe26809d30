import type Parser from 'tree-sitter';
import { isTestModule, productionCalls } from '../../src/model/flask-queries';
import { isPlaceholder, isSecretName, urlPassword } from '../../src/model/secrets';
import type { PythonModule, PyValue, SystemModel } from '../../src/model/types';
import { evaluate, nodeLocation } from '../../src/parsers/python';
import { ensureImport } from '../../src/fix/python-edits';
import { defineRule, type Fix, type RuleContext, type TextEdit } from '../../src/rule';

type MessageId = 'literal' | 'fallback' | 'urlPassword';

const ENV_GETTERS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault']);
/** Expression types whose value `evaluate` can return as a string literal, or as `env` with a fallback (`boolean_operator`). */
const MAY_HOLD_SECRET = new Set(['string', 'concatenated_string', 'parenthesized_expression', 'boolean_operator']);

export default defineRule({
  meta: {
    id: 'python-secret-literal',
    area: 'python',
    description: 'A secret is written in the code or used as an environment fallback',
    severity: 'error',
    fixable: 'unsafe',
    messages: {
      literal: '`{{name}}` is set to a literal string; read it from the environment or a secret store.',
      fallback:
        '`{{name}}` falls back to a literal when the variable is unset, so a deployment that forgets it runs with a secret everyone can read in the source.',
      urlPassword: 'This URL contains the password `{{masked}}`; take the URL or the password from the environment.',
    },
    docs: {
      whatItDoes:
        'Reports credentials written as string literals in production code: `SECRET_KEY = "..."` (module, class or config attribute), `app.config["SECRET_KEY"] = "..."`, `app.config.update(SECRET_KEY="...")`, `app.secret_key = "..."`, names that look like passwords, tokens and API keys, literal fallbacks of environment lookups (`os.environ.get("SECRET_KEY", "dev")`, `os.getenv("API_TOKEN") or "x"`), and URLs with a password in them (`postgresql://app:pw@db/app`). Test modules are skipped.',
      whyItMatters:
        'A literal secret is in every clone, image layer and log of the source. The fallback form is the one scanners miss: the code looks environment-driven, but a deployment without the variable silently signs sessions with `"dev"`, and anyone can forge them.',
      examples: {
        bad: {
          'main.py':
            'import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\napp.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev-secret")\n',
        },
        good: {
          'main.py':
            'import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\napp.config["SECRET_KEY"] = os.environ["SECRET_KEY"]\n',
        },
      },
      useInstead: 'Read secrets with `os.environ["NAME"]` so a missing variable fails at start, or from a secret store; never give them a literal default.',
      fixSafety:
        'Unsafe: the fix replaces the literal, or the lookup with its fallback, by `os.environ["NAME"]` and adds `import os` when needed. The service then fails at start with `KeyError` until the variable is set, which is the intent, but every environment that relied on the literal must set it. URLs with a password are not changed.',
      knownLimitations: 'Secrets assigned to names that do not look like credentials (`X = "hunter2"`) are not reported, and neither are secrets built at run time.',
    },
  },
  check(model, context) {
    checkAssignments(model, context);
    checkCalls(model, context);
  },
});

function checkAssignments(model: SystemModel, context: RuleContext<MessageId>): void {
  for (const assignment of model.python.assignments) {
    if (isTestModule(assignment.module)) continue;

    const name = assignment.path[assignment.path.length - 1];
    const isCredential = isSecretName(name);
    const valueType = assignment.value.type;
    // Only these expressions can give a string literal or an environment lookup with a fallback, so
    // other values of names that are not credentials need no evaluation.
    if (!isCredential && !MAY_HOLD_SECRET.has(valueType)) continue;
    // A string can then only be reported as a URL with a password, which needs an `@` in the source
    // text or an escape that gives one.
    if (!isCredential && valueType !== 'boolean_operator' && !/[@\\]/.test(assignment.value.text)) continue;

    const value = evaluate(assignment.value, assignment.module.file);
    if (isCredential && isLiteralSecret(value)) {
      const location = { ...assignment.location, end: assignment.value.endIndex };
      context.report({ messageId: 'literal', data: { name }, location, fix: environmentFix(assignment.module, assignment.value, name.toUpperCase()) });
      continue;
    }
    // `os.environ.get("X") or "dev"` is evaluated as an environment lookup with a fallback.
    if (value.kind === 'env' && valueType === 'boolean_operator' && value.fallback && isLiteralSecret(value.fallback)) {
      if (isCredential || (value.name !== null && isSecretName(value.name))) {
        const variable = value.name ?? name;
        context.report({
          messageId: 'fallback',
          data: { name: variable },
          location: nodeLocation(assignment.module.file, assignment.value),
          fix: environmentFix(assignment.module, assignment.value, variable),
        });
        continue;
      }
    }
    reportUrlPassword(context, assignment.module, assignment.value, value);
  }
}

function checkCalls(model: SystemModel, context: RuleContext<MessageId>): void {
  for (const call of productionCalls(model)) {
    if (ENV_GETTERS.has(call.callee)) {
      const variable = call.args[0];
      const fallback = call.args.find((arg, index) => (arg.name === null && index === 1) || arg.name === 'default');
      const name = variable?.value.kind === 'literal' && typeof variable.value.value === 'string' ? variable.value.value : null;
      if (!fallback || !name) continue;
      if (isSecretName(name) && isLiteralSecret(fallback.value)) {
        const whole = call.node.parent?.type === 'boolean_operator' ? call.node.parent : call.node;
        context.report({ messageId: 'fallback', data: { name }, location: fallback.location, fix: environmentFix(call.module, whole, name) });
        continue;
      }
      reportUrlPassword(context, call.module, fallback.node, fallback.value);
      continue;
    }

    const setsConfig = call.method === 'update' || call.method === 'from_mapping' || call.method === 'setdefault';
    if (!setsConfig || !call.receiver || !/config$/.test(call.receiver)) continue;
    for (const arg of call.args) {
      if (arg.name && isSecretName(arg.name) && isLiteralSecret(arg.value)) {
        context.report({ messageId: 'literal', data: { name: arg.name }, location: arg.location, fix: environmentFix(call.module, arg.node, arg.name.toUpperCase()) });
      }
    }
  }
}

function reportUrlPassword(context: RuleContext<MessageId>, module: PythonModule, node: Parser.SyntaxNode, value: PyValue): void {
  const text = value.kind === 'literal' && typeof value.value === 'string' ? value.value : null;
  const password = text ? urlPassword(text) : null;
  if (!password) return;

  context.report({ messageId: 'urlPassword', data: { masked: mask(password) }, location: nodeLocation(module.file, node) });
}

/** Replaces an expression with `os.environ["NAME"]`, so a missing variable stops the service at start. */
function environmentFix(module: PythonModule, node: Parser.SyntaxNode, variable: string): Fix {
  const edits: TextEdit[] = [{ file: module.file.relPath, start: node.startIndex, end: node.endIndex, text: `os.environ["${variable}"]` }];
  const importOs = ensureImport(module, 'os', null);
  if (importOs) edits.push(importOs);
  return { title: `Read \`${variable}\` from the environment`, safety: 'unsafe', edits };
}

function isLiteralSecret(value: PyValue): boolean {
  return value.kind === 'literal' && typeof value.value === 'string' && !isPlaceholder(value.value);
}

/** Shows the first character of a secret only, so findings do not spread it further. */
function mask(secret: string): string {
  return secret.length <= 2 ? '***' : `${secret[0]}***`;
}
