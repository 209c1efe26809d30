import { pinTable, type PinTable } from '../../src/fix/requirements-edits';
import type { SystemModel } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import type { Location } from '../../src/source';
import { declarationFix, neededDeclaration, pinnedDeclaration, type Declaration } from './declaration-fix';
import { installedPackages, type InstalledPackages } from './installed-packages';
import { IMPORTS_OF_NEEDED_PACKAGES, neededPackages } from './needed-packages';
import { distributionsForImport, importedModules, suggestedDistribution, thirdPartyImports } from './third-party-imports';
import { PINS_OPTION } from './pins-option';

export default defineRule({
  meta: {
    id: 'requirements-import-undeclared',
    area: 'requirements',
    description: 'Production code imports a package that no production requirement provides',
    severity: 'warning',
    fixable: 'unsafe',
    spansFiles: true,
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
      fixSafety:
        'Unsafe: the distribution is guessed from the import name (`yaml` gives PyYAML), and a guess can name a different project than the one the code was written for. The fix adds `name==version` to the production requirements the way `requirements-package-missing` does, only for a module that the import-to-distribution table maps or whose own name is a distribution of the pin table, at the version of that table (the `pins` option overrides it). A package that only a development file declares is added at the version pinned there. Without any requirements file it creates `requirements.txt` with every missing package.',
      options: '`pins`: a map of distribution name to the exact version the fix writes, such as `{ "PyYAML": "6.0.2" }`; entries override the built-in table.',
      useInstead: 'Declare the distribution that provides the module, pinned: `PyYAML==6.0.1` for `import yaml`.',
      knownLimitations:
        'The import-to-distribution table and the table of what packages bring with them cover common packages only; an import provided by an unusual distribution name, or brought in by a package outside the table, is reported. Modules of the system are recognised by file name, so a local module that shadows a third-party name hides that import.',
    },
    optionsSchema: { pins: PINS_OPTION },
  },
  check(model, context) {
    const installed = installedPackages(model);
    const undeclared = undeclaredImports(model, installed);
    if (undeclared.length === 0) return;

    const pins = pinTable(context.options);
    const declarations = undeclared.map((entry) => importDeclaration(model, entry, pins));
    const whenCreating = model.requirements.source === 'none' ? everythingMissing(model, installed, declarations, pins) : [];

    for (const [index, entry] of undeclared.entries()) {
      const { module, distribution, developmentFile, location } = entry;
      const declaration = declarations[index];
      const fix = declaration ? declarationFix(model, declaration, 'unsafe', whenCreating) : undefined;

      if (developmentFile) {
        context.report({ messageId: 'developmentOnly', data: { module, distribution, file: developmentFile }, location, fix });
        continue;
      }
      context.report({ messageId: 'undeclared', data: { module, distribution }, location, fix });
    }
  },
});

interface UndeclaredImport {
  /** The dotted module no production requirement provides. */
  module: string;
  /** The distribution a message suggests. */
  distribution: string;
  /** The development file that declares a distribution of the module, if one does. */
  developmentFile: string | undefined;
  location: Location;
}

/** Lists the imports of production code that no production requirement provides, leaving the packages `requirements-package-missing` demands to it. */
function undeclaredImports(model: SystemModel, installed: InstalledPackages): UndeclaredImport[] {
  const undeclared: UndeclaredImport[] = [];

  for (const entry of thirdPartyImports(model)) {
    if (IMPORTS_OF_NEEDED_PACKAGES.has(entry.root)) continue;

    const module = importedModules(entry.import).find(
      (name) => !distributionsForImport(name).some((distribution) => installed.names.has(distribution)),
    );
    if (!module) continue;

    const developmentFile = distributionsForImport(module)
      .map((name) => installed.developmentOnly.get(name))
      .find((file) => file !== undefined);
    undeclared.push({ module, distribution: suggestedDistribution(module), developmentFile, location: entry.import.location });
  }
  return undeclared;
}

/**
 * Returns the distribution to declare for an import: the one a development file declares, at the
 * version pinned there, or else the suggested distribution at the pin table's version.
 */
function importDeclaration(model: SystemModel, entry: UndeclaredImport, pins: PinTable): Declaration | null {
  if (entry.developmentFile) {
    const candidates = distributionsForImport(entry.module);
    const declared = model.requirements.requirements.find((requirement) => requirement.development && candidates.includes(requirement.name));
    if (declared) {
      const version = declared.pinnedVersion ?? pins.version(declared.name);
      return version === null ? null : { name: pins.spelling(declared.rawName), version };
    }
  }
  return pinnedDeclaration(pins, entry.distribution);
}

/** Returns what a new `requirements.txt` declares: the packages the service needs and the imported distributions, each once. */
function everythingMissing(model: SystemModel, installed: InstalledPackages, declarations: ReadonlyArray<Declaration | null>, pins: PinTable): Declaration[] {
  const needed = neededPackages(model)
    .filter((need) => !need.accepts.some((name) => installed.names.has(name)))
    .map((need) => neededDeclaration(need, pins));
  return [...needed, ...declarations].filter((declaration): declaration is Declaration => declaration !== null);
}
