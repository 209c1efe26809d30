import type { SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import type { Location } from '../../src/source';

export default defineRule({
  meta: {
    id: 'gunicorn-setting-unknown',
    area: 'gunicorn',
    description: 'A name in the Gunicorn config file is a misspelt setting, which Gunicorn ignores',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      unknown: '`{{name}}` is not a Gunicorn setting, so Gunicorn ignores it; did you mean `{{suggestion}}`?',
    },
    docs: {
      whatItDoes:
        'Lists the module-level names of the config file that are not Gunicorn settings and reports those near a real one: a small spelling difference (`max_request`, `timout`), a different case (`WORKERS`), or a command-line flag written as a name (`preload` for `preload_app`, `name` for `proc_name`). Imports, functions, private `_names` and helper variables that the file reads later are not reported; a function is reported only when its name is near a server hook (`def post_forks`) and nothing calls it.',
      whyItMatters:
        'Gunicorn loads the config file as Python and copies only the names it knows; every other name is ignored without a warning. A misspelt `max_request = 1000` looks configured and does nothing.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nmax_request = 1000\n',
        },
        good: {
          'gunicorn.conf.py': 'import os\n\nPORT = os.environ.get("PORT", "8000")\nbind = f"0.0.0.0:{PORT}"\nmax_requests = 1000\n',
        },
      },
      useInstead: 'Use the setting name from Gunicorn\'s settings reference, such as `max_requests`.',
      fixSafety:
        'Unsafe: the fix renames the name to the suggested setting, so Gunicorn starts to use a value it ignored until now. No fix is offered when the config file already sets the suggested setting, because one of the two values has to be chosen by a person.',
      knownLimitations: 'Names far from every setting (`database_url`) are not reported, because they are more likely data for hooks than typos.',
    },
  },
  check(model, context) {
    if (!model.gunicorn.used) return;

    for (const entry of model.gunicorn.unknownNames) {
      if (entry.suggestion === null) continue;
      context.report({
        messageId: 'unknown',
        data: { name: entry.name, suggestion: entry.suggestion },
        location: entry.location,
        fix: renameFix(model, entry.location, entry.suggestion),
      });
    }
  },
});

function renameFix(model: SystemModel, location: Location, suggestion: string): Fix | undefined {
  const existing = model.gunicorn.settings.get(suggestion);
  if (existing?.source === 'config' && existing.location?.file === location.file) return undefined;

  return {
    title: `Rename to \`${suggestion}\``,
    safety: 'unsafe',
    edits: [{ file: location.file.relPath, start: location.start, end: location.end, text: suggestion }],
  };
}
