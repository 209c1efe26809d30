import type { YamlEntry } from '../../src/model/types';
import { isTrueString } from '../../src/parsers/python';
import { defineRule, type TextEdit } from '../../src/rule';
import type { Location } from '../../src/source';
import { configDocuments, entryKey, entryPath, parseEnvReference, writtenValue } from './config-values';

/** Keys that switch Flask's debug mode on: `debug`, `DEBUG`, `flask_debug`, `debug_mode`. */
const DEBUG_KEY = /^(flask[_-]?)?debug([_-]?mode)?$/i;
/** Sections and files for environments other than production. */
const NON_PRODUCTION = /^(dev|devel|develop|development|test|tests|testing|local|debug|example|sample|template)$/i;
/** Sections whose `debug` key sets a log level or a library's verbosity, not the app's debug mode. */
const LOGGING_SECTION = /^(log|logs|logging|logger|loggers|handlers?|formatters?)$/i;

export default defineRule({
  meta: {
    id: 'config-debug-enabled',
    area: 'config',
    description: 'Production configuration turns debug mode on',
    severity: 'error',
    fixable: 'safe',
    messages: {
      enabled: '`{{key}}: {{value}}` turns debug mode on in production configuration, which serves the Werkzeug debugger that runs any Python code sent to it.',
      fallback: '`{{key}}` turns debug mode on when `{{variable}}` is unset, because its default is `{{fallback}}`.',
    },
    docs: {
      whatItDoes:
        'Looks through production configuration YAML (files under `config/` or named like `*config*.yaml`) for `debug`, `flask_debug` or `debug_mode` keys that are true: `true`, `1`, `"1"`, `yes`, `on`, or a `${DEBUG:-true}` reference whose default is true. Files and sections named for other environments (`config/development.yaml`, `settings_test.yaml`, `environments.local.debug`) and `debug` keys under logging sections are not production debug switches.',
      whyItMatters:
        'Debug mode serves the Werkzeug debugger on errors, which runs arbitrary Python from the browser, and it shows source code and configuration in tracebacks. A production configuration must never enable it, and an unset variable must not enable it by default.',
      examples: {
        bad: { 'config/system_config.yaml': 'system:\n  name: orders-api\ndebug: true\n' },
        good: { 'config/system_config.yaml': 'system:\n  name: orders-api\ndebug: ${DEBUG:-false}\n' },
      },
      fixSafety: 'Safe: the fix writes `false` in place of the true value, or as the default of a `${VAR:-true}` reference, so debug mode needs an explicit setting; nothing else in the file changes.',
      useInstead: 'Write `debug: false` in production configuration, or `${DEBUG:-false}` so that only an explicit variable turns it on outside production.',
    },
  },
  check(model, context) {
    for (const document of configDocuments(model.yaml.documents)) {
      if (isNonProductionFile(document.file.relPath)) continue;

      for (const entry of document.entries) {
        const key = entryKey(entry);
        if (!key || !DEBUG_KEY.test(key) || !isAppSetting(entry)) continue;

        const reference = typeof entry.value === 'string' ? parseEnvReference(entry.value) : null;
        if (reference) {
          if (reference.fallback === null || !isTrueString(reference.fallback)) continue;
          const written = entry.valueLocation.file.text.slice(entry.valueLocation.start, entry.valueLocation.end);
          const fallbackAt = written.lastIndexOf(reference.fallback);
          const start = entry.valueLocation.start + fallbackAt;
          context.report({
            messageId: 'fallback',
            data: { key: entryPath(entry), variable: reference.variable, fallback: reference.fallback },
            location: entry.valueLocation,
            fix:
              fallbackAt < 0
                ? undefined
                : { title: 'Default to `false`', safety: 'safe', edits: [{ file: entry.valueLocation.file.relPath, start, end: start + reference.fallback.length, text: 'false' }] },
          });
          continue;
        }

        if (!isTrue(entry.value)) continue;
        context.report({
          messageId: 'enabled',
          data: { key: entryPath(entry), value: writtenValue(entry) },
          location: entry.valueLocation,
          fix: { title: `Set \`${entryPath(entry)}\` to \`false\``, safety: 'safe', edits: [replaceScalar(entry.valueLocation, 'false')] },
        });
      }
    }
  },
});

function isNonProductionFile(relPath: string): boolean {
  const words = relPath.replace(/\.ya?ml$/i, '').split(/[-_./]+/);
  return words.some((word) => NON_PRODUCTION.test(word));
}

/** False for entries under an environment other than production or under a logging section. */
function isAppSetting(entry: YamlEntry): boolean {
  const sections = entry.path.slice(0, -1).filter((part): part is string => typeof part === 'string');
  return !sections.some((section) => NON_PRODUCTION.test(section) || LOGGING_SECTION.test(section));
}

function isTrue(value: unknown): boolean {
  if (value === true) return true;
  if (typeof value === 'number') return value === 1;
  return typeof value === 'string' && isTrueString(value);
}

function replaceScalar(location: Location, text: string): TextEdit {
  return { file: location.file.relPath, start: location.start, end: location.end, text };
}
