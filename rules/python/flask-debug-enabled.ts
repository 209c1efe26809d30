import type Parser from 'tree-sitter';
import { runtimeEnvironment, type EnvironmentSetting } from '../../src/model/environment';
import { isTestModule, moduleStartedByCommand, productionCalls } from '../../src/model/flask-queries';
import { truthWhenUnset, type DefaultTruth } from '../../src/model/python-truth';
import { pinnedBelow, pinnedVersion } from '../../src/model/versions';
import type { PythonModule, SystemModel } from '../../src/model/types';
import { isTrueString, nodeLocation } from '../../src/parsers/python';
import { ensureImport } from '../../src/fix/python-edits';
import { defineRule, type Fix, type RuleContext, type Severity, type TextEdit } from '../../src/rule';
import type { Location } from '../../src/source';

type MessageId = 'literal' | 'fallback' | 'environment' | 'debugPin' | 'flaskEnv';

const DEBUG_KEYWORDS = new Set(['debug', 'use_debugger', 'use_evalex']);

export default defineRule({
  meta: {
    id: 'flask-debug-enabled',
    area: 'python',
    description: 'Flask debug mode or the Werkzeug debugger is on by default',
    severity: 'error',
    fixable: 'safe',
    spansFiles: true,
    messages: {
      literal: '`{{setting}}` turns on Flask debug mode; wherever the app is served by `app.run()` or `flask run`, that brings the Werkzeug debugger, which runs any Python sent from a browser.',
      fallback:
        '`{{setting}}` turns debug mode on when `{{variable}}` is unset, because its fallback is true; served by `app.run()` or `flask run`, that brings the Werkzeug debugger, which runs any Python sent from a browser.',
      environment: '`{{name}}={{value}}` in the {{origin}} turns on Flask debug mode and the Werkzeug debugger.',
      debugPin: '`WERKZEUG_DEBUG_PIN=off` in the {{origin}} removes the PIN that guards the Werkzeug debugger.',
      flaskEnv: '`FLASK_ENV=development` in the {{origin}} turns on debug mode in Flask {{version}}, which still reads it (Flask 2.3 removed it).',
    },
    docs: {
      whatItDoes:
        'Finds every way debug mode gets turned on by default: `debug=True` or a true third positional argument of `app.run`, `use_debugger=True`, `use_evalex=True`, `app.debug = True`, `app.config["DEBUG"] = True`, `app.config.update(DEBUG=True)`, a config class with `DEBUG = True` loaded with `from_object`, an environment lookup whose fallback is true (`os.environ.get("DEBUG", True)`, `os.getenv("DEBUG", "1")`, a mode variable that defaults to "development" and feeds `debug=`), `FLASK_DEBUG=1` or `WERKZEUG_DEBUG_PIN=off` in the Dockerfile or a compose service, and `FLASK_ENV=development` when the requirements pin a Flask older than 2.3, which still reads it.',
      whyItMatters:
        'In debug mode an unhandled exception shows the Werkzeug debugger, an interactive Python console in the browser: anyone who reaches the service can run code on it. Fallbacks are the usual leak: the production environment forgets to set `DEBUG` and the default wins. Note that any non-empty string is true in Python, so `os.getenv("DEBUG", "false")` passed to `debug=` turns debug on.',
      examples: {
        bad: {
          'main.py':
            'import os\n\nfrom flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config["DEBUG"] = os.environ.get("DEBUG", True)\n    return app\n',
        },
        good: {
          'main.py':
            'import os\n\nfrom flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config["DEBUG"] = os.environ.get("FLASK_DEBUG", "0") == "1"\n    return app\n',
        },
      },
      useInstead:
        'Read debug from the environment with a false default (`os.environ.get("FLASK_DEBUG", "0") == "1"`) and never set it in the image; run the development server with `flask --debug run` on your machine only.',
      fixSafety:
        'Safe: the fix replaces the value with `os.environ.get("FLASK_DEBUG", "0") == "1"` (keeping the variable name when the code already reads one) and adds `import os` when needed. Debug mode stays available on a developer machine by setting the variable; production, where it is never correct, gets it off. `FLASK_DEBUG=1` in the Dockerfile or a compose service becomes `FLASK_DEBUG=0`.',
      knownLimitations:
        'Debug set through values the rule cannot evaluate (a function call, a settings object built at run time) is not reported. `app.run(debug=True)` under `if __name__ == "__main__":` in a module the container does not start is reported as a warning, because it only runs on a developer machine.',
    },
  },
  check(model, context) {
    checkRunCalls(model, context);
    checkConfigCalls(model, context);
    checkAssignments(model, context);
    checkEnvironment(model, context);
  },
});

function checkRunCalls(model: SystemModel, context: RuleContext<MessageId>): void {
  const target = model.docker.main?.target ?? null;
  const started = moduleStartedByCommand(model, target?.command ?? null, target?.workdir ?? null);

  for (const call of productionCalls(model)) {
    if (call.method !== 'run' || !call.receiverApp) continue;

    // A guarded `app.run` only runs on a developer machine unless the container starts this module.
    const severity: Severity | undefined = call.underMainGuard && started !== call.module ? 'warning' : undefined;
    call.args.forEach((arg, index) => {
      const isDebugArgument = (arg.name !== null && DEBUG_KEYWORDS.has(arg.name)) || (arg.name === null && index === 2);
      if (!isDebugArgument) return;

      const setting = arg.name ? `${arg.name}=${arg.node.text}` : `app.run(..., ${arg.node.text})`;
      reportIfOn(model, context, call.module, arg.node, setting, arg.location, severity);
    });
  }
}

function checkConfigCalls(model: SystemModel, context: RuleContext<MessageId>): void {
  for (const call of productionCalls(model)) {
    // The method is tested first: reading a call's receiver text costs a call into tree-sitter.
    const configMethod = (call.method === 'update' || call.method === 'from_mapping') && call.receiver !== null && /\.config$/.test(call.receiver);
    if (configMethod) {
      for (const arg of call.args) {
        if (arg.name === 'DEBUG') reportIfOn(model, context, call.module, arg.node, `DEBUG=${arg.node.text}`, arg.location);
        if (arg.name === null && arg.node.type === 'dictionary') checkDictionary(model, context, call.module, arg.node);
      }
      continue;
    }

    const fromObject = call.method === 'from_object' && call.receiver !== null && /\.config$/.test(call.receiver);
    const classArg = fromObject ? call.args[0] : undefined;
    if (!classArg) continue;

    const attributes = model.python.classAttributes(call.module, classArg.node);
    const debug = attributes?.get('DEBUG');
    if (!debug) continue;
    const owner = model.python.modules.find((module) => module.tree.rootNode === rootOf(debug)) ?? call.module;
    reportIfOn(model, context, owner, debug, `DEBUG = ${debug.text}`, nodeLocation(owner.file, debug.parent ?? debug));
  }
}

function checkDictionary(model: SystemModel, context: RuleContext<MessageId>, module: PythonModule, node: Parser.SyntaxNode): void {
  for (const pair of node.namedChildren) {
    if (pair.type !== 'pair') continue;
    const key = pair.childForFieldName('key');
    const value = pair.childForFieldName('value');
    if (!key || !value || !/^['"]DEBUG['"]$/.test(key.text)) continue;
    reportIfOn(model, context, module, value, `"DEBUG": ${value.text}`, nodeLocation(module.file, pair));
  }
}

function checkAssignments(model: SystemModel, context: RuleContext<MessageId>): void {
  for (const assignment of model.python.assignments) {
    if (!assignment.app || isTestModule(assignment.module)) continue;

    const path = assignment.path.join('.');
    if (path !== 'debug' && path !== 'config.DEBUG') continue;

    const written = path === 'debug' ? `${assignment.receiver}.debug` : `${assignment.receiver}.config["DEBUG"]`;
    const location = { ...assignment.location, end: assignment.value.endIndex };
    reportIfOn(model, context, assignment.module, assignment.value, `${written} = ${assignment.value.text}`, location);
  }
}

function checkEnvironment(model: SystemModel, context: RuleContext<MessageId>): void {
  for (const setting of runtimeEnvironment(model)) {
    const origin = setting.origin === 'dockerfile' ? 'Dockerfile' : 'compose file';
    if (setting.name === 'FLASK_DEBUG' && setting.value !== null && isTrueString(setting.value)) {
      context.report({ messageId: 'environment', data: { name: setting.name, value: setting.value, origin }, location: setting.location, fix: environmentOffFix(setting) });
    }
    if (setting.name === 'FLASK_ENV' && setting.value?.trim().toLowerCase() === 'development' && pinnedBelow(model, 'flask', '2.3')) {
      context.report({ messageId: 'flaskEnv', data: { origin, version: pinnedVersion(model, 'flask') ?? '' }, location: setting.location });
    }
    if (setting.name === 'WERKZEUG_DEBUG_PIN' && setting.value?.trim().toLowerCase() === 'off') {
      context.report({ messageId: 'debugPin', data: { origin }, location: setting.location });
    }
  }
}

/**
 * Sets `FLASK_DEBUG` to 0: in a Dockerfile `ENV` pair (`FLASK_DEBUG=1` or the legacy `FLASK_DEBUG 1`),
 * a compose mapping value (`FLASK_DEBUG: "1"`) or a compose list item (`- FLASK_DEBUG=1`).
 */
function environmentOffFix(setting: EnvironmentSetting): Fix | undefined {
  const location = setting.valueLocation;
  const written = location.file.text.slice(location.start, location.end);
  const title = `Set \`FLASK_DEBUG=0\` in the ${setting.origin === 'dockerfile' ? 'image' : 'compose file'}`;
  const edit = (text: string): Fix => ({ title, safety: 'safe', edits: [{ file: location.file.relPath, start: location.start, end: location.end, text }] });

  const pair = /^(["']?)FLASK_DEBUG(=|\s+)[^"'\s]+(["']?)$/.exec(written);
  if (pair) return edit(`${pair[1]}FLASK_DEBUG${pair[2]}0${pair[3]}`);
  if (setting.origin === 'compose' && /^(["']?)[^"'\s]+\1$/.test(written)) return edit('"0"');
  return undefined;
}

function reportIfOn(
  model: SystemModel,
  context: RuleContext<MessageId>,
  module: PythonModule,
  valueNode: Parser.SyntaxNode,
  setting: string,
  location: Location,
  severity?: Severity,
): void {
  const truth: DefaultTruth | null = truthWhenUnset(model, module, valueNode);
  if (!truth?.on) return;

  const fix = debugFromEnvironment(module, valueNode, truth.variable ?? 'FLASK_DEBUG');
  if (truth.variable) {
    context.report({ messageId: 'fallback', data: { setting, variable: truth.variable }, location, severity, fix });
    return;
  }
  context.report({ messageId: 'literal', data: { setting }, location, severity, fix });
}

function debugFromEnvironment(module: PythonModule, valueNode: Parser.SyntaxNode, variable: string): Fix {
  const edits: TextEdit[] = [{ file: module.file.relPath, start: valueNode.startIndex, end: valueNode.endIndex, text: `os.environ.get("${variable}", "0") == "1"` }];
  const importOs = ensureImport(module, 'os', null);
  if (importOs) edits.push(importOs);
  return { title: `Read debug mode from \`${variable}\`, off by default`, safety: 'safe', edits };
}

function rootOf(node: Parser.SyntaxNode): Parser.SyntaxNode {
  let current = node;
  while (current.parent) current = current.parent;
  return current;
}
