import type { PythonModule, SystemModel } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import type { Location } from '../../src/source';
import { hasLiteralArguments, parseGunicornTarget } from './gunicorn-target';

const MAX_REEXPORT_DEPTH = 5;

export default defineRule({
  meta: {
    id: 'gunicorn-target-missing',
    area: 'system',
    description: 'The WSGI target Gunicorn loads does not exist',
    severity: 'error',
    fixable: 'none',
    spansFiles: true,
    messages: {
      invalid: 'Gunicorn target `{{target}}` is not `module:name` or `module:factory()`, so Gunicorn cannot parse it.',
      moduleMissing: 'Gunicorn loads `{{target}}`, but there is no module `{{module}}` ({{path}}) in the system.',
      attributeMissing: 'Gunicorn loads `{{target}}`, but `{{file}}` defines no top-level `{{attribute}}`{{hint}}.',
      notName: 'Gunicorn target `{{target}}` names `{{attribute}}`, but Gunicorn accepts only a top-level name or a call of one after the colon.',
      factoryArguments: 'Gunicorn target `{{target}}` passes arguments that are not literals; Gunicorn only accepts literal arguments to an app factory.',
      factoryNotCalled: 'Gunicorn target `{{target}}` names the factory `{{attribute}}` without calling it, so Gunicorn serves requests with the factory function itself; use `{{module}}:{{attribute}}()`.',
    },
    docs: {
      whatItDoes:
        'Reads the WSGI target of the Gunicorn command (or `wsgi_app` in the config file) and checks it against the Python modules of the system: the module exists relative to `--chdir`/WORKDIR, the attribute is a top-level name (following re-exports such as `from main import app` in `wsgi.py`), `module` alone means `module:application`, and a factory target `module:create_app()` has only literal arguments.',
      whyItMatters:
        'A wrong target is only found when the container starts: Gunicorn exits with "Failed to find attribute" and the orchestrator restarts it in a loop. Renaming `app` to `application`, or moving the factory, breaks the image while every single-file check still passes.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n',
          Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n',
        },
        good: {
          'main.py': 'from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n\n\napp = create_app()\n',
          Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "main:app"]\n',
        },
      },
      useInstead: 'Point Gunicorn at a module-level WSGI object (`main:app` with `app = create_app()`) or at the factory call (`main:create_app()`).',
      knownLimitations:
        'Modules outside the checked folder (installed packages) cannot be verified and are reported as missing; `--pythonpath` folders are not searched.',
    },
  },
  check(model, context) {
    const found = gunicornTarget(model);
    if (!found) return;

    const { target, location, chdir } = found;
    const parsed = parseGunicornTarget(target);
    if (!parsed) {
      context.report({ messageId: 'invalid', data: { target }, location });
      return;
    }

    const module = findModule(model, parsed.module, chdir);
    if (!module) {
      const base = `${chdir ? `${chdir}/` : ''}${parsed.module.replace(/\./g, '/')}`;
      context.report({ messageId: 'moduleMissing', data: { target, module: parsed.module, path: `\`${base}.py\` or \`${base}/__init__.py\`` }, location });
      return;
    }

    if (parsed.complexAttribute) {
      context.report({ messageId: 'notName', data: { target, attribute: parsed.attribute }, location });
      return;
    }

    if (!definesName(model, module, parsed.attribute, 0)) {
      const defined = definedNames(module).slice(0, 5);
      const hint = defined.length > 0 ? ` (it defines ${defined.map((name) => `\`${name}\``).join(', ')})` : '';
      context.report({ messageId: 'attributeMissing', data: { target, file: module.file.relPath, attribute: parsed.attribute, hint }, location });
      return;
    }

    if (parsed.callArguments !== null && !hasLiteralArguments(parsed.callArguments)) {
      context.report({ messageId: 'factoryArguments', data: { target }, location });
      return;
    }

    const factory = parsed.callArguments === null && model.python.apps.some((app) => app.factory?.module === module && app.factory.name === parsed.attribute && !app.factory.parent);
    if (factory) {
      context.report({ messageId: 'factoryNotCalled', data: { target, attribute: parsed.attribute, module: parsed.module }, location });
    }
  },
});

function gunicornTarget(model: SystemModel): { target: string; location: Location; chdir: string | null } | null {
  const invocation = model.gunicorn.invocation;
  if (invocation?.target) return { target: invocation.target, location: invocation.targetLocation, chdir: invocation.chdir };

  const setting = model.gunicorn.settings.get('wsgi_app');
  if (setting?.source === 'config' && setting.location && setting.value.kind === 'literal' && typeof setting.value.value === 'string') {
    return { target: setting.value.value, location: setting.location, chdir: invocation?.chdir ?? null };
  }
  return null;
}

function findModule(model: SystemModel, name: string, chdir: string | null): PythonModule | undefined {
  const base = name.replace(/\./g, '/');
  const folders = chdir ? [chdir.replace(/^\.\/?|\/+$/g, ''), ''] : [''];

  for (const folder of folders) {
    const prefix = folder ? `${folder}/` : '';
    const module = model.python.modules.find((entry) => entry.file.relPath === `${prefix}${base}.py` || entry.file.relPath === `${prefix}${base}/__init__.py`);
    if (module) return module;
  }
  return undefined;
}

/** True when the module binds the name at top level, following `from x import name` into system modules. */
function definesName(model: SystemModel, module: PythonModule, name: string, depth: number): boolean {
  if (!module.topLevelNames.has(name)) return false;
  if (depth >= MAX_REEXPORT_DEPTH) return true;

  const reexport = module.imports.find((entry) => entry.names.includes(name) && entry.location.start <= (module.topLevelNames.get(name)?.start ?? 0) + 1);
  const source = reexport ? model.python.moduleByName(reexport.module) : undefined;
  if (!reexport || !source || source === module) return true;
  return definesName(model, source, name, depth + 1);
}

/** Lists the public names a module defines itself, leaving out what it imports. */
function definedNames(module: PythonModule): string[] {
  const names: string[] = [];
  for (const [name, location] of module.topLevelNames) {
    if (name.startsWith('_')) continue;
    let node: { type: string; parent: unknown } | null = module.tree.rootNode.descendantForIndex(location.start);
    let imported = false;
    while (node) {
      if (node.type === 'import_statement' || node.type === 'import_from_statement') imported = true;
      node = node.parent as typeof node;
    }
    if (!imported) names.push(name);
  }
  return names;
}
