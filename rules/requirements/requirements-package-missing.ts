import { pinTable } from '../../src/fix/requirements-edits';
import { defineRule } from '../../src/rule';
import { declarationFix, neededDeclaration, type Declaration } from './declaration-fix';
import { installedPackages } from './installed-packages';
import { neededPackages } from './needed-packages';
import { PINS_OPTION } from './pins-option';

export default defineRule({
  meta: {
    id: 'requirements-package-missing',
    area: 'requirements',
    description: 'A package the service needs in production is not declared',
    severity: 'error',
    fixable: 'safe',
    spansFiles: true,
    messages: {
      missing: '{{reason}}, but no production requirement declares {{package}}.',
      noRequirements: '{{reason}}, but the system has no `requirements.txt` and no `pyproject.toml` dependencies; it needs {{packages}}.',
      setupPyNotRead:
        '{{reason}}, and the system declares its dependencies only in `setup.py`, which prodcheck does not run, so it cannot verify {{packages}}.',
    },
    docs: {
      whatItDoes:
        'Works out which packages the service cannot start without and checks that a production requirement declares each: `flask` when the app imports Flask; `gunicorn` when Gunicorn runs the app (its invocation, the Dockerfile command or its config file); a PostgreSQL driver when the code imports `psycopg2` or `psycopg` or a `postgresql://` URL appears in the code, configuration or container environment; `prometheus-flask-exporter` or `prometheus-client` when they are imported; `flask-cors` when `flask_cors` is imported; `flask[async]` when a route handler is `async def`. A package counts as declared when a production requirements file (development files such as `requirements-dev.txt` do not count) or a `pip install` in the Dockerfile names it, or when a declared package depends on it. Each package is reported once, at the first place that needs it.',
      whyItMatters:
        'A missing package fails at import when the container starts, or, for Gunicorn, the image has no server at all. Async views without `flask[async]` raise a `RuntimeError` on the first request. A production Flask service needs Flask and Gunicorn, the driver of the database it connects to, and the Prometheus client or exporter that serves its metrics.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
          'requirements.txt': 'gunicorn==27.0.1\n',
        },
        good: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
          'requirements.txt': 'flask==3.1.3\ngunicorn==27.0.1\n',
        },
      },
      fixSafety:
        'Safe: the fix adds one `name==version` line to the top-level production requirements file (or to the file it includes with `-r` when it declares nothing itself), in alphabetical order when the file is sorted and at the end otherwise, spelled like the file\'s other names. Without any requirements file it creates `requirements.txt` with every missing package. It only adds a package the service already fails without. Versions come from a built-in table of current releases that the `pins` option overrides; a package the table does not know gets no fix, and neither does a hash-locked file (no hash of the new package is known) or `pyproject.toml`. Where either driver would do, it adds `psycopg2`, which builds from source and needs the libpq headers and a C compiler in the image.',
      options: '`pins`: a map of distribution name to the exact version the fix writes, such as `{ "gunicorn": "23.0.0" }`; entries override the built-in table.',
      useInstead:
        'Declare each package with an exact version in `requirements.txt` (or `[project] dependencies` of `pyproject.toml`): `flask==3.1.3`, `gunicorn==27.0.1`, `psycopg2==2.9.9`, `prometheus-flask-exporter==0.23.1`, `flask-cors==4.0.1`, and `flask[async]==3.0.3` for async views.',
      knownLimitations:
        'Dependencies declared in `setup.py` or `setup.cfg` are not read (prodcheck never runs `setup.py`); the rule then reports at info level that it cannot verify them. What a declared package brings with it comes from a built-in table of common packages, so a dependency brought by a package outside that table is reported as missing. PostgreSQL URLs assembled at run time are not seen.',
    },
    optionsSchema: { pins: PINS_OPTION },
  },
  check(model, context) {
    const installed = installedPackages(model);
    const missing = neededPackages(model).filter((need) => !need.accepts.some((name) => installed.names.has(name)));
    if (missing.length === 0) return;

    const pins = pinTable(context.options);
    const declarations = missing.map((need) => neededDeclaration(need, pins));
    const known = declarations.filter((declaration): declaration is Declaration => declaration !== null);

    if (model.requirements.source === 'none') {
      const first = missing[0];
      const packages = joinLabels(missing.map((need) => need.label));
      const declaresInSetupPy = model.files.some((file) => /(^|\/)setup\.py$/.test(file.relPath));
      if (declaresInSetupPy) {
        context.report({ messageId: 'setupPyNotRead', data: { reason: first.reason, packages }, location: first.location, severity: 'info' });
        return;
      }
      const fix = known.length > 0 ? declarationFix(model, known[0], missing.some(isGuessedFromUrl) ? 'unsafe' : 'safe', known) : undefined;
      context.report({ messageId: 'noRequirements', data: { reason: first.reason, packages }, location: first.location, fix });
      return;
    }

    for (const [index, need] of missing.entries()) {
      const declaration = declarations[index];
      // A driver needed only because a URL names PostgreSQL may never be imported, and psycopg2 needs a compiler to install.
      const fix = declaration ? declarationFix(model, declaration, isGuessedFromUrl(need) ? 'unsafe' : 'safe', known) : undefined;
      context.report({ messageId: 'missing', data: { reason: need.reason, package: need.label }, location: need.location, fix });
    }
  },
});

function isGuessedFromUrl(need: { reason: string }): boolean {
  return need.reason.startsWith('The system connects to');
}

function joinLabels(labels: string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}
