import { pinTable, replaceSpecifierEdit } from '../../src/fix/requirements-edits';
import type { Requirement, SystemModel } from '../../src/model/types';
import { compareVersions } from '../../src/parsers/requirements';
import { defineRule, type Fix } from '../../src/rule';
import { PINS_OPTION } from './pins-option';

/**
 * Gunicorn 19 and older evaluated the target text (`eval(obj, vars(module))`), so `main:create_app()`
 * worked; 20.0.0 looked the text up as a plain attribute and broke it; 20.0.1 parses factory calls.
 */
const BROKEN_VERSION = '20.0.0';
const FACTORY_TARGET_VERSION = '20.0.1';

/** Gunicorn 26 removed the eventlet worker, so a pin of 26 or later breaks a system that selects it. */
const EVENTLET_REMOVED_MAJOR = 26;

export default defineRule({
  meta: {
    id: 'requirements-gunicorn-too-old',
    area: 'requirements',
    description: 'The pinned Gunicorn cannot load the application factory target',
    severity: 'error',
    fixable: 'unsafe',
    spansFiles: true,
    messages: {
      tooOld:
        'Gunicorn target `{{target}}` calls an application factory, which Gunicorn 20.0.0 cannot load, and `gunicorn{{specifier}}` pins that release; use {{minimum}} or newer.',
    },
    docs: {
      whatItDoes:
        'When the Gunicorn target calls a factory (`main:create_app()`), checks that the production `gunicorn` requirement does not pin 20.0.0, the one release that cannot load it: Gunicorn 19 and older evaluated the target text, and 20.0.1 and later parse factory calls.',
      whyItMatters:
        'Gunicorn 20.0.0 reads `main:create_app()` as a variable name and stops with "Failed to find application object", so the container exits at start.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "main:create_app()"]\n',
          'requirements.txt': 'flask==3.0.3\ngunicorn==20.0.0\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "main:create_app()"]\n',
          'requirements.txt': 'flask==3.0.3\ngunicorn==22.0.0\n',
        },
      },
      fixSafety:
        'Unsafe: the fix replaces the specifier with `==` and the Gunicorn version of a built-in table of current releases (the `pins` option overrides it), which moves the server across major releases whose defaults and removed settings can change how it runs. No fix is offered when the line has `--hash` options, or when the system selects the eventlet worker and the new version no longer has it.',
      options: '`pins`: a map of distribution name to the exact version the fix writes, such as `{ "gunicorn": "23.0.0" }`; entries override the built-in table.',
      useInstead: 'Pin a current Gunicorn (`gunicorn==22.0.0`), or point Gunicorn at a module-level app (`main:app` with `app = create_app()` in `main.py`).',
    },
    optionsSchema: { pins: PINS_OPTION },
  },
  check(model, context) {
    const target = model.gunicorn.invocation?.target;
    if (!target || !/\(.*\)\s*$/.test(target)) return;

    for (const requirement of model.requirements.find('gunicorn')) {
      if (requirement.pinnedVersion === null || compareVersions(requirement.pinnedVersion, BROKEN_VERSION) !== 0) continue;

      context.report({
        messageId: 'tooOld',
        data: { target, minimum: FACTORY_TARGET_VERSION, specifier: requirement.specifier },
        location: requirement.location,
        fix: upgradeFix(model, requirement, pinTable(context.options).version('gunicorn')),
      });
    }
  },
});

/** Builds the fix that pins Gunicorn to `version`, unless that version is too old too, the line is hash-locked, or it removes the selected worker. */
function upgradeFix(model: SystemModel, requirement: Requirement, version: string | null): Fix | undefined {
  if (version === null || (compareVersions(version, FACTORY_TARGET_VERSION) ?? -1) < 0) return undefined;
  if (requirement.hashes.length > 0) return undefined;
  if (selectsEventlet(model) && majorVersion(version) >= EVENTLET_REMOVED_MAJOR) return undefined;

  const edit = replaceSpecifierEdit(requirement, `==${version}`);
  if (!edit) return undefined;
  return { title: `Pin \`${requirement.rawName}\` to \`==${version}\``, safety: 'unsafe', edits: [edit] };
}

function selectsEventlet(model: SystemModel): boolean {
  const setting = model.gunicorn.settings.get('worker_class');
  return setting?.value.kind === 'literal' && typeof setting.value.value === 'string' && /eventlet/.test(setting.value.value);
}

function majorVersion(version: string): number {
  return Number.parseInt(version.split('.')[0], 10);
}
