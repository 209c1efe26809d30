import { productionApps, productionCalls } from '../../src/model/flask-queries';
import type { SystemModel } from '../../src/model/types';
import { insertAppLines } from '../../src/fix/app-edits';
import { ensureImport } from '../../src/fix/python-edits';
import type { FlaskApp } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import type { Location } from '../../src/source';

const SETTING = 'MAX_CONTENT_LENGTH';

export default defineRule({
  meta: {
    id: 'flask-max-content-length-missing',
    area: 'python',
    description: 'No request body size limit (`MAX_CONTENT_LENGTH`)',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      missing: 'App `{{app}}` sets no `MAX_CONTENT_LENGTH`, and Gunicorn has no body size limit, so one request can upload until memory runs out.',
      disabled: '`MAX_CONTENT_LENGTH = None` disables the request body size limit.',
    },
    docs: {
      whatItDoes:
        'Looks for `MAX_CONTENT_LENGTH` set anywhere: `app.config["MAX_CONTENT_LENGTH"] = ...`, `app.config.update(MAX_CONTENT_LENGTH=...)`, or a config class attribute. An explicit `None` is reported where it is written.',
      whyItMatters:
        'Gunicorn limits request lines and headers but not bodies. Without `MAX_CONTENT_LENGTH`, Flask reads whatever a client sends into memory or temporary files, so a few large uploads exhaust a worker. With it, oversized requests get 413 before the body is read.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
        good: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\napp.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024\n',
        },
      },
      useInstead: 'Set `app.config["MAX_CONTENT_LENGTH"]` to the largest body the API accepts, for example `16 * 1024 * 1024`.',
      fixSafety: 'Unsafe: the fix sets `MAX_CONTENT_LENGTH` from the environment variable of the same name, 16 MiB by default, where the app is configured. Requests with larger bodies then get 413, which changes what the API accepts.',
      knownLimitations: 'A limit enforced in front of the service (nginx `client_max_body_size`) is not visible to the rule; turn the rule off when one exists.',
    },
  },
  check(model, context) {
    const settings = findSettings(model);
    for (const setting of settings) {
      if (setting.disabled) context.report({ messageId: 'disabled', location: setting.location });
    }
    if (settings.length > 0) return;

    for (const app of productionApps(model)) {
      context.report({ messageId: 'missing', data: { app: app.variable || 'app' }, location: app.location, fix: limitFix(app) });
    }
  },
});

function findSettings(model: SystemModel): Array<{ location: Location; disabled: boolean }> {
  const found: Array<{ location: Location; disabled: boolean }> = [];

  for (const assignment of model.python.assignments) {
    if (assignment.path[assignment.path.length - 1] !== SETTING) continue;
    found.push({ location: { ...assignment.location, end: assignment.value.endIndex }, disabled: assignment.value.type === 'none' });
  }

  for (const call of productionCalls(model)) {
    if (call.method !== 'update' && call.method !== 'from_mapping' && call.method !== 'setdefault') continue;
    for (const arg of call.args) {
      if (arg.name === SETTING) found.push({ location: arg.location, disabled: arg.node.type === 'none' });
      if (arg.name === null && arg.value.kind === 'dict') {
        const entry = arg.value.entries.find((pair) => pair.key.kind === 'literal' && pair.key.value === SETTING);
        if (entry) found.push({ location: arg.location, disabled: entry.value.kind === 'literal' && entry.value.value === null });
      }
      if (arg.name === null && arg.value.kind === 'literal' && arg.value.value === SETTING) found.push({ location: arg.location, disabled: false });
    }
  }
  return found;
}

function limitFix(app: FlaskApp): Fix | undefined {
  const line = insertAppLines(app, [`{app}.config["${SETTING}"] = int(os.environ.get("${SETTING}", 16 * 1024 * 1024))`]);
  if (!line) return undefined;

  const importOs = ensureImport(app.module, 'os', null);
  return { title: `Set \`${SETTING}\` from the environment, 16 MiB by default`, safety: 'unsafe', edits: importOs ? [importOs, line] : [line] };
}
