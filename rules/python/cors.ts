import { productionCalls } from '../../src/model/flask-queries';
import { truthWhenUnset } from '../../src/model/python-truth';
import { ensureImport } from '../../src/fix/python-edits';
import type { PyValue, PythonCall, SystemModel } from '../../src/model/types';
import type { Fix, TextEdit } from '../../src/rule';

const CORS_CALLEES = new Set(['flask_cors.CORS', 'flask_cors.CORS().init_app', 'flask_cors.cross_origin', 'flask_cors.extension.CORS']);

export interface CorsSetup {
  call: PythonCall;
  /** True when every origin is allowed: no `origins`, `"*"`, or a `resources` entry allowing all. */
  anyOrigin: boolean;
  credentials: boolean;
}

/** Reads each flask-cors call: `CORS(app, ...)`, `cors.init_app(app, ...)` and `@cross_origin(...)`. */
export function corsSetups(model: SystemModel): CorsSetup[] {
  return productionCalls(model)
    .filter((call) => CORS_CALLEES.has(call.callee) && !isDeferredConstructor(call))
    .map((call) => {
      const credentialsArg = call.args.find((arg) => arg.name === 'supports_credentials');
      const credentials = credentialsArg ? truthWhenUnset(model, call.module, credentialsArg.node)?.on === true : false;
      return { call, anyOrigin: allowsAnyOrigin(call), credentials };
    });
}

const ORIGINS_FROM_ENVIRONMENT = '[origin for origin in os.environ.get("CORS_ORIGINS", "").split(",") if origin]';

/** Sets `origins=` from the `CORS_ORIGINS` variable (comma-separated), replacing a wildcard or adding the argument. */
export function originsFromEnvironmentFix(setup: CorsSetup): Fix | undefined {
  const call = setup.call;
  if (call.args.some((arg) => arg.name === 'resources')) return undefined;

  const edits: TextEdit[] = [];
  const origins = call.args.find((arg) => arg.name === 'origins');
  const list = call.node.childForFieldName('arguments');
  if (origins) {
    edits.push({ file: call.module.file.relPath, start: origins.node.startIndex, end: origins.node.endIndex, text: ORIGINS_FROM_ENVIRONMENT });
  } else if (list?.type === 'argument_list') {
    const closing = list.endIndex - 1;
    const hasArguments = list.namedChildren.some((child) => child.type !== 'comment');
    const trailingComma = /,\s*$/.test(call.module.file.text.slice(list.startIndex, closing));
    const separator = hasArguments && !trailingComma ? ', ' : '';
    edits.push({ file: call.module.file.relPath, start: closing, end: closing, text: `${separator}origins=${ORIGINS_FROM_ENVIRONMENT}` });
  } else {
    return undefined;
  }

  const importOs = ensureImport(call.module, 'os', null);
  if (importOs) edits.push(importOs);
  return { title: 'Allow only the origins listed in `CORS_ORIGINS`', safety: 'unsafe', edits };
}

/** `CORS()` with no app configures nothing until `init_app(app, ...)`, which is read on its own. */
function isDeferredConstructor(call: PythonCall): boolean {
  if (!/\.CORS$/.test(call.callee)) return false;
  return !call.args.some((arg) => arg.name === null || arg.name === 'app');
}

function allowsAnyOrigin(call: PythonCall): boolean {
  const origins = call.args.find((arg) => arg.name === 'origins');
  const resources = call.args.find((arg) => arg.name === 'resources');

  if (resources && resources.value.kind === 'dict') {
    return resources.value.entries.some((entry) => {
      if (entry.value.kind !== 'dict') return false;
      const resourceOrigins = entry.value.entries.find((pair) => pair.key.kind === 'literal' && pair.key.value === 'origins');
      return resourceOrigins ? isWildcard(resourceOrigins.value) : origins === undefined || isWildcard(origins.value);
    });
  }
  if (!origins) return true;
  return isWildcard(origins.value);
}

function isWildcard(value: PyValue): boolean {
  if (value.kind === 'literal') return value.value === '*' || value.value === '.*';
  if (value.kind === 'list') return value.items.some(isWildcard);
  return false;
}
