import { defineRule } from '../../src/rule';
import { installedPackages } from './installed-packages';
import { IMPORTS_OF_NEEDED_PACKAGES } from './needed-packages';
import { distributionsForImport, importedModules, suggestedDistribution, thirdPartyImports } from './third-party-imports';

export default defineRule({
  meta: {
    id: 'requirements-import-undeclared',
    area: 'requirements',
    description: 'Production code imports a package that no production requirement provides',
    severity: 'warning',
    fixable: 'none',
    messages: {
      undeclared: '`{{module}}` is imported, but no production requirement provides it; declare `{{distribution}}`.',
      developmentOnly:
        '`{{module}}` is imported by production code, but only `{{file}}` declares `{{distribution}}`, and the production image does not install development requirements.',
    },
    docs: {
      whatItDoes:
        'Checks every import of production code that is not relative, not one of the system\'s own modules and not in the Python standard library, and looks for a production requirement that provides it. Import names are mapped to distributions (`yaml` to PyYAML, `PIL` to Pillow, `dotenv` to python-dotenv, `jwt` to PyJWT, `psycopg2` to psycopg2 or psycopg2-binary), names are compared after PEP 503 normalisation (`Flask_Cors` is `flask-cors`), and packages that a declared package depends on count (Flask brings Werkzeug, Jinja2, itsdangerous, click, MarkupSafe and blinker). Imports inside `try: ... except ImportError`, under `if TYPE_CHECKING:`, and in tests, `setup.py` and documentation are skipped. Flask, Gunicorn, the PostgreSQL drivers, the Prometheus packages and flask-cors are left to `requirements-package-missing`.',
      whyItMatters:
        'A package that happens to be installed on the developer\'s machine but is not declared is missing from the image, and the worker fails with `ModuleNotFoundError` when it imports the module, often only when the first request reaches that code path.',
      examples: {
        bad: {
          'main.py': 'import yaml\nfrom flask import Flask\n\napp = Flask(__name__)\n',
          'requirements.txt': 'flask==3.0.3\n',
        },
        good: {
          'main.py': 'import yaml\nfrom flask import Flask\nfrom werkzeug.exceptions import NotFound\n\napp = Flask(__name__)\n',
          'requirements.txt': 'flask==3.0.3\nPyYAML==6.0.1\n',
        },
      },
      useInstead: 'Declare the distribution that provides the module, pinned: `PyYAML==6.0.1` for `import yaml`.',
      knownLimitations:
        'The import-to-distribution table and the table of what packages bring with them cover common packages only; an import provided by an unusual distribution name, or brought in by a package outside the table, is reported. Modules of the system are recognised by file name, so a local module that shadows a third-party name hides that import.',
    },
  },
  check(model, context) {
    const installed = installedPackages(model);

    for (const entry of thirdPartyImports(model)) {
      if (IMPORTS_OF_NEEDED_PACKAGES.has(entry.root)) continue;

      const module = importedModules(entry.import).find(
        (name) => !distributionsForImport(name).some((distribution) => installed.names.has(distribution)),
      );
      if (!module) continue;

      const distribution = suggestedDistribution(module);
      const developmentFile = distributionsForImport(module)
        .map((name) => installed.developmentOnly.get(name))
        .find((file) => file !== undefined);
      if (developmentFile) {
        context.report({ messageId: 'developmentOnly', data: { module, distribution, file: developmentFile }, location: entry.import.location });
        continue;
      }
      context.report({ messageId: 'undeclared', data: { module, distribution }, location: entry.import.location });
    }
  },
});
