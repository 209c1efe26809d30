import { specifierAllowsOnlyOlder } from '../../src/parsers/requirements';
import { defineRule } from '../../src/rule';

/** Gunicorn 20.0.1 added `module:factory()` targets; older releases take only `module:variable`. */
const FACTORY_TARGET_VERSION = '20.0.1';

export default defineRule({
  meta: {
    id: 'requirements-gunicorn-too-old',
    area: 'requirements',
    description: 'The pinned Gunicorn is too old for the application factory target',
    severity: 'error',
    fixable: 'none',
    messages: {
      tooOld:
        'Gunicorn target `{{target}}` calls an application factory, which needs Gunicorn {{minimum}} or newer, but `gunicorn{{specifier}}` allows only older releases.',
    },
    docs: {
      whatItDoes:
        'When the Gunicorn target calls a factory (`main:create_app()`), checks that the production `gunicorn` requirement allows version 20.0.1 or newer: an exact pin below it, or an upper bound such as `<20` or `~=19.9`, is reported at the requirement.',
      whyItMatters:
        'Gunicorn before 20.0.1 reads `main:create_app()` as a variable name and stops with "Failed to find application object", so the container exits at start.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "main:create_app()"]\n',
          'requirements.txt': 'flask==3.0.3\ngunicorn==19.9.0\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "main:create_app()"]\n',
          'requirements.txt': 'flask==3.0.3\ngunicorn==22.0.0\n',
        },
      },
      useInstead: 'Pin a current Gunicorn (`gunicorn==22.0.0`), or point Gunicorn at a module-level app (`main:app` with `app = create_app()` in `main.py`).',
    },
  },
  check(model, context) {
    const target = model.gunicorn.invocation?.target;
    if (!target || !/\(.*\)\s*$/.test(target)) return;

    for (const requirement of model.requirements.find('gunicorn')) {
      if (!specifierAllowsOnlyOlder(requirement.specifier, FACTORY_TARGET_VERSION)) continue;

      context.report({
        messageId: 'tooOld',
        data: { target, minimum: FACTORY_TARGET_VERSION, specifier: requirement.specifier },
        location: requirement.location,
      });
    }
  },
});
