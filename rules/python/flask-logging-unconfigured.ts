import { productionApps, productionCalls } from '../../src/model/flask-queries';
import type { SystemModel } from '../../src/model/types';
import { mergeInsertions } from '../../src/fix/generated-modules';
import { ensureImports, importInsertionOffset } from '../../src/fix/python-edits';
import type { FlaskApp } from '../../src/model/types';
import { defineRule, type Fix, type TextEdit } from '../../src/rule';

const CONFIGURING_CALLS = new Set([
  'logging.config.dictConfig',
  'logging.config.fileConfig',
  'logging.basicConfig',
  'structlog.configure',
  'loguru.logger.add',
]);
const GUNICORN_LOGGING_SETTINGS = ['logconfig', 'logconfig_dict', 'logconfig_json'];

export default defineRule({
  meta: {
    id: 'flask-logging-unconfigured',
    area: 'python',
    description: 'Logging is not configured before the app serves',
    severity: 'warning',
    fixable: 'safe',
    messages: {
      missing:
        'Nothing configures logging for app `{{app}}` (no `dictConfig`, `basicConfig`, handler on `app.logger` or Gunicorn `logconfig_dict`), so log levels, format and destination are left to chance.',
    },
    docs: {
      whatItDoes:
        'Looks for logging configuration anywhere in the system: `logging.config.dictConfig`, `fileConfig`, `logging.basicConfig`, a handler added to `app.logger` or another logger, `app.logger.handlers` reused from Gunicorn\'s logger, `structlog.configure`, or Gunicorn\'s `logconfig_dict`/`logconfig`.',
      whyItMatters:
        'Unconfigured, Flask logs only warnings and above through a default handler, application `logger.info` calls vanish, and under Gunicorn the app\'s lines do not match the server\'s format, so a log pipeline cannot parse them. Production needs one explicit configuration: level, format (often JSON) and stdout.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
        good: {
          'main.py':
            'import logging\n\nfrom flask import Flask\n\nlogging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")\napp = Flask(__name__)\n',
        },
      },
      fixSafety: 'Safe: the fix adds `logging.basicConfig(...)` after the imports of the module that creates the app, with the level from `LOG_LEVEL` (default `INFO`) and a timestamped format on stderr, plus the `logging` and `os` imports. It adds output and changes no behaviour.',
      useInstead: 'Call `logging.config.dictConfig(...)` before creating the app, or reuse Gunicorn\'s handlers: `app.logger.handlers = logging.getLogger("gunicorn.error").handlers`.',
    },
  },
  check(model, context) {
    if (isLoggingConfigured(model)) return;

    for (const app of productionApps(model)) {
      context.report({ messageId: 'missing', data: { app: app.variable || 'app' }, location: app.location, fix: loggingFix(app) });
    }
  },
});

function isLoggingConfigured(model: SystemModel): boolean {
  const calls = productionCalls(model);
  if (calls.some((call) => CONFIGURING_CALLS.has(call.callee))) return true;
  if (calls.some((call) => call.method === 'addHandler')) return true;

  const handlersAssigned = model.python.assignments.some((assignment) => assignment.path.join('.') === 'logger.handlers' || assignment.path.join('.') === 'handlers');
  if (handlersAssigned) return true;

  return GUNICORN_LOGGING_SETTINGS.some((name) => model.gunicorn.settings.get(name)?.source === 'config' || model.gunicorn.settings.get(name)?.source === 'command-line');
}

function loggingFix(app: FlaskApp): Fix {
  const module = app.module;
  const offset = importInsertionOffset(module);
  const edits: TextEdit[] = ensureImports(module, [
    { module: 'logging', name: null },
    { module: 'os', name: null },
  ]);
  edits.push({
    file: module.file.relPath,
    start: offset,
    end: offset,
    text: '\nlogging.basicConfig(\n    level=os.environ.get("LOG_LEVEL", "INFO").upper(),\n    format="%(asctime)s %(levelname)s %(name)s %(message)s",\n)\n',
  });
  return { title: 'Configure logging with `logging.basicConfig`', safety: 'safe', edits: mergeInsertions(edits) };
}
