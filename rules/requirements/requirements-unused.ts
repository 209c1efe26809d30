import { isTestModule } from '../../src/model/flask-queries';
import type { Requirement } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import { closure, dependenciesOf } from './installed-packages';
import { distributionsForImport, importedModules, thirdPartyImports } from './third-party-imports';

/**
 * Distributions a service needs without importing them: servers and worker classes, database
 * drivers that SQLAlchemy or Django load by URL, packaging tools, and libraries Flask loads itself.
 */
const USED_WITHOUT_IMPORT = new Set([
  'gunicorn',
  'uvicorn',
  'gevent',
  'eventlet',
  'waitress',
  'uwsgi',
  'setproctitle',
  'uvloop',
  'httptools',
  'psycopg2',
  'psycopg2-binary',
  'psycopg',
  'psycopg-binary',
  'mysqlclient',
  'pymysql',
  'asyncpg',
  'python-dotenv',
  'asgiref',
  'setuptools',
  'wheel',
  'pip',
  'greenlet',
]);

export default defineRule({
  meta: {
    id: 'requirements-unused',
    area: 'requirements',
    description: 'A production requirement that no module imports',
    severity: 'info',
    fixable: 'none',
    spansFiles: true,
    messages: {
      unused: '`{{name}}` is a production requirement, but no module of the system imports it and no other requirement needs it.',
    },
    docs: {
      whatItDoes:
        'Lists production requirements that no production module imports (through the import-name table, so `PyYAML` is used by `import yaml`), that no other declared package depends on, and that are not run without an import: servers and worker classes (gunicorn, uvicorn, gevent), database drivers loaded by URL (psycopg2, pymysql), python-dotenv (loaded by Flask), packaging tools.',
      whyItMatters:
        'Every package in the image is code to patch, scan and download on each build. Unused ones usually remain from a template or an earlier design; removing them shrinks the image and the list of vulnerabilities to triage.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
          'requirements.txt': 'flask==3.1.1\nrequests==2.32.3\n',
        },
        good: {
          'main.py': 'import requests\nfrom flask import Flask\n\napp = Flask(__name__)\n',
          'requirements.txt': 'flask==3.1.1\nrequests==2.32.3\n',
        },
      },
      useInstead: 'Remove the requirement, or keep it with a comment saying what loads it.',
      knownLimitations:
        'Plugins loaded by name at run time (entry points, `importlib.import_module("...")` with a computed name) are not seen, so they are reported; the report is info for that reason.',
    },
  },
  check(model, context) {
    const production = model.requirements.requirements.filter((requirement) => !requirement.constraint && !requirement.development);
    const hasCode = model.python.modules.some((module) => !isTestModule(module));
    if (production.length === 0 || !hasCode) return;

    const imported = new Set<string>();
    for (const entry of thirdPartyImports(model)) {
      for (const module of importedModules(entry.import)) for (const name of distributionsForImport(module)) imported.add(name);
    }

    const brought = broughtByDeclared(production);
    for (const requirement of production) {
      if (imported.has(requirement.name) || USED_WITHOUT_IMPORT.has(requirement.name)) continue;
      if (brought.has(requirement.name)) continue;

      context.report({ messageId: 'unused', data: { name: requirement.rawName }, location: requirement.location });
    }
  },
});

/** Returns the packages that declared packages depend on, directly or not: pinning one of those is deliberate. */
function broughtByDeclared(production: Requirement[]): Set<string> {
  const dependencies = production.flatMap((requirement) => dependenciesOf(requirement.name, requirement.extras).map((name) => ({ name, extras: [] })));
  return closure(dependencies);
}
