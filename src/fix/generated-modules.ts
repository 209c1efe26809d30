import type { Blueprint, FlaskApp, PythonFunction, PythonModule, SystemModel } from '../model/types';
import type { Fix, NewFile, TextEdit } from '../rule';
import { importFrom, insertAppLines, siblingModule } from './app-edits';
import { appendText, compareImportedNames, ensureImports, type ImportPlacement } from './python-edits';

/** The parts of the generated operations module, one per rule that adds it. */
export type OperationsPart = 'health' | 'ready' | 'metrics' | 'errors';

export interface ModuleEdits {
  edits: TextEdit[];
  newFiles: NewFile[];
}

const OPERATIONS_MODULE = 'operations';
const OPERATIONS_BLUEPRINT = 'operations';
const BRIDGE_MODULE = 'async_bridge';
const READINESS_METHODS = ['health', 'is_healthy', 'healthy', 'ping', 'health_check', 'healthcheck', 'check_health', 'get_health_status'];

interface PythonImportSpec {
  from: string | null;
  name: string;
}

/**
 * Adds one part (a route or the error handlers) to the operations blueprint of the app: appended
 * to the module when the blueprint exists, otherwise in a new module registered on the app.
 */
export function addOperationsPart(model: SystemModel, app: FlaskApp, part: OperationsPart): ModuleEdits | null {
  const existing = operationsBlueprint(model, app);
  const readiness = part === 'ready' ? readinessCheck(model, app) : null;
  const imports = partImports(part);
  const code = partCode(part, readiness);

  if (existing) {
    const module = existing.module;
    const edits: TextEdit[] = [];
    const newFiles: NewFile[] = [];
    edits.push(...missingImports(module, imports));
    if (readiness?.needsBridge) addBridge(model, module, edits, newFiles);
    edits.push(appendText(module, code));
    return { edits: mergeInsertions(edits), newFiles };
  }

  const target = freeSibling(model, app.module, OPERATIONS_MODULE);
  if (!target) return null;

  const registration = insertAppLines(app, [`{app}.register_blueprint(${OPERATIONS_BLUEPRINT})`]);
  const importEdit = importFrom(app.module, target.importFrom, OPERATIONS_BLUEPRINT, 'local');
  if (!registration) return null;

  const newFiles: NewFile[] = [];
  const bridgeImports: PythonImportSpec[] = [];
  if (readiness?.needsBridge) {
    const bridge = bridgeFor(model, app.module);
    if (!bridge.exists) newFiles.push({ file: bridge.relPath, content: BRIDGE_SOURCE });
    bridgeImports.push({ from: bridge.importFrom, name: 'run_sync' });
  }

  newFiles.push({ file: target.relPath, content: operationsModule([...imports, ...bridgeImports], code) });
  return { edits: mergeInsertions([...(importEdit ? [importEdit] : []), registration]), newFiles };
}

/** Returns the import statements a module lacks, one statement per source module: `from x import a, b`. */
function missingImports(module: PythonModule, specs: PythonImportSpec[]): TextEdit[] {
  const wanted: Array<{ module: string; name: string | null; placement: ImportPlacement }> = [];
  const names = new Map<string, string[]>();
  for (const spec of specs) {
    if (spec.from === null) {
      wanted.push({ module: spec.name, name: null, placement: 'auto' });
      continue;
    }
    if (!importFrom(module, spec.from, spec.name)) continue;
    names.set(spec.from, [...(names.get(spec.from) ?? []), spec.name]);
  }
  for (const [from, list] of names) {
    const placement = from.startsWith('.') || from.split('.').pop() === BRIDGE_MODULE ? 'local' : 'auto';
    wanted.push({ module: from, name: list.sort(compareImportedNames).join(', '), placement });
  }
  return ensureImports(module, wanted);
}

/** Finds the generated operations blueprint registered on the app. */
function operationsBlueprint(model: SystemModel, app: FlaskApp): Blueprint | null {
  return (
    model.python.blueprints.find(
      (blueprint) => blueprint.variable === OPERATIONS_BLUEPRINT && blueprint.registrations.some((registration) => registration.app === app),
    ) ?? null
  );
}

function freeSibling(model: SystemModel, appModule: PythonModule, name: string): { relPath: string; importFrom: string } | null {
  for (const candidate of [name, `service_${name}`, `prodcheck_${name}`]) {
    const sibling = siblingModule(model, appModule, candidate);
    if (!model.files.some((file) => file.relPath === sibling.relPath)) return sibling;
  }
  return null;
}

interface ReadinessCheck {
  /** The import that brings the instance into the operations module, done inside the view to avoid an import cycle. */
  importLine: string;
  variable: string;
  method: PythonFunction;
  needsBridge: boolean;
}

/** Finds a module-level instance of a system class with a health method, such as `store = Store()`. */
function readinessCheck(model: SystemModel, app: FlaskApp): ReadinessCheck | null {
  for (const assignment of model.python.assignments) {
    if (assignment.scope !== null || assignment.className !== null || assignment.path.length !== 1) continue;
    if (assignment.value.type !== 'call') continue;

    const call = model.python.calls.find((candidate) => candidate.node.id === assignment.value.id && candidate.module === assignment.module);
    const className = call?.callee.split('.').pop();
    if (!call || !className) continue;

    const method = model.python.modules
      .flatMap((module) => module.functions)
      .find((fn) => fn.className === className && READINESS_METHODS.includes(fn.name) && call.callee.endsWith(`${fn.module.name}.${className}`));
    if (!method) continue;

    const variable = assignment.path[0];
    const from = importPathBetween(model, app.module, assignment.module);
    return { importLine: `from ${from} import ${variable}`, variable, method, needsBridge: method.isAsync };
  }
  return null;
}

/**
 * Returns how a module next to `from` imports `target`: relatively when both are in the same package
 * folder, by absolute name otherwise.
 */
function importPathBetween(model: SystemModel, from: PythonModule, target: PythonModule): string {
  const folderOf = (relPath: string) => (relPath.includes('/') ? relPath.slice(0, relPath.lastIndexOf('/')) : '');
  const folder = folderOf(from.file.relPath);
  const inPackage = folder !== '' && model.files.some((file) => file.relPath === `${folder}/__init__.py`);
  const isInit = target.file.relPath.endsWith('__init__.py');
  if (inPackage && !isInit && folderOf(target.file.relPath) === folder) return `.${target.name.split('.').pop()}`;
  return target.name;
}

function partImports(part: OperationsPart): PythonImportSpec[] {
  switch (part) {
    case 'health':
    case 'ready':
      return [];
    case 'metrics':
      return [
        { from: null, name: 'os' },
        { from: 'flask', name: 'Response' },
        { from: 'flask', name: 'request' },
        { from: 'prometheus_client', name: 'CONTENT_TYPE_LATEST' },
        { from: 'prometheus_client', name: 'Counter' },
        { from: 'prometheus_client', name: 'REGISTRY' },
        { from: 'prometheus_client', name: 'CollectorRegistry' },
        { from: 'prometheus_client', name: 'generate_latest' },
        { from: 'prometheus_client', name: 'multiprocess' },
      ];
    case 'errors':
      return [{ from: 'werkzeug.exceptions', name: 'HTTPException' }];
  }
}

function partCode(part: OperationsPart, readiness: ReadinessCheck | null): string {
  switch (part) {
    case 'health':
      return HEALTH_CODE;
    case 'ready':
      return readyCode(readiness);
    case 'metrics':
      return METRICS_CODE;
    case 'errors':
      return ERRORS_CODE;
  }
}

const HEALTH_CODE = `

@${OPERATIONS_BLUEPRINT}.get("/health")
def health():
    """Liveness: answers while the worker can serve, without touching dependencies."""
    return jsonify(status="ok")
`;

function readyCode(readiness: ReadinessCheck | null): string {
  const check = readiness
    ? `    try:
        ${readiness.importLine}

        checks["${readiness.variable}"] = bool(${readiness.needsBridge ? `run_sync(${readiness.variable}.${readiness.method.name}(), timeout=2.0)` : `${readiness.variable}.${readiness.method.name}()`})
    except Exception:
        logger.exception("Readiness check of ${readiness.variable} failed")
        checks["${readiness.variable}"] = False
`
    : '';
  return `

@${OPERATIONS_BLUEPRINT}.get("/ready")
def ready():
    """Readiness: answers 503 while a dependency the service needs is unavailable."""
    checks = {}
${check}    healthy = all(checks.values())
    return jsonify(status="ready" if healthy else "unavailable", checks=checks), (200 if healthy else 503)
`;
}

const METRICS_CODE = `

REQUESTS = Counter("http_requests_total", "HTTP requests served, by method and status code.", ["method", "status"])


@${OPERATIONS_BLUEPRINT}.after_app_request
def count_request(response):
    """Counts every response of the app by method and status code."""
    REQUESTS.labels(request.method, str(response.status_code)).inc()
    return response


@${OPERATIONS_BLUEPRINT}.get("/metrics")
def metrics():
    """Prometheus metrics, aggregated over all workers when PROMETHEUS_MULTIPROC_DIR is set."""
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
`;

const ERRORS_CODE = `

@${OPERATIONS_BLUEPRINT}.app_errorhandler(HTTPException)
def handle_http_error(error):
    """Answers HTTP errors as JSON with their own status code."""
    return jsonify(error=error.name, description=error.description), error.code


@${OPERATIONS_BLUEPRINT}.app_errorhandler(Exception)
def handle_unexpected_error(error):
    """Logs an unexpected error and answers a JSON 500 without internal details."""
    logger.exception("Unhandled error: %s", error)
    return jsonify(error="Internal Server Error"), 500
`;

function operationsModule(imports: PythonImportSpec[], code: string): string {
  const plain = new Set(['logging', ...imports.filter((spec) => spec.from === null).map((spec) => spec.name)]);
  const fromImports = new Map<string, Set<string>>([['flask', new Set(['Blueprint', 'jsonify'])]]);
  for (const spec of imports) {
    if (spec.from === null) continue;
    const names = fromImports.get(spec.from) ?? new Set<string>();
    names.add(spec.name);
    fromImports.set(spec.from, names);
  }

  const standard = [...plain].sort().map((name) => `import ${name}`);
  const thirdParty = [...fromImports].filter(([from]) => !from.startsWith('.') && from !== BRIDGE_MODULE).sort(([a], [b]) => a.localeCompare(b));
  const local = [...fromImports].filter(([from]) => from.startsWith('.') || from === BRIDGE_MODULE);
  const render = ([from, names]: [string, Set<string>]) => `from ${from} import ${[...names].sort(compareImportedNames).join(', ')}`;

  const blocks = [standard.join('\n'), thirdParty.map(render).join('\n'), local.map(render).join('\n')].filter(Boolean);
  return `"""Operational endpoints of the service, such as health checks, metrics and JSON errors."""
${blocks.join('\n\n')}

logger = logging.getLogger(__name__)
${OPERATIONS_BLUEPRINT} = Blueprint("${OPERATIONS_BLUEPRINT}", __name__)
${code}`;
}

/** Finds the generated bridge module, or where it goes next to a module. */
export function bridgeFor(model: SystemModel, module: PythonModule): { relPath: string; importFrom: string; exists: boolean } {
  const existing = model.python.modules.find((candidate) => candidate.name.split('.').pop() === BRIDGE_MODULE && candidate.topLevelNames.has('run_sync'));
  const sibling = siblingModule(model, module, BRIDGE_MODULE);
  if (!existing) return { ...sibling, exists: false };

  const sameFolder = existing.file.relPath === sibling.relPath;
  return { relPath: existing.file.relPath, importFrom: sameFolder ? sibling.importFrom : existing.name, exists: true };
}

/** Adds `from async_bridge import run_sync` to a module, creating the bridge module when the system has none. */
export function addBridge(model: SystemModel, module: PythonModule, edits: TextEdit[], newFiles: NewFile[]): void {
  const bridge = bridgeFor(model, module);
  if (!bridge.exists) newFiles.push({ file: bridge.relPath, content: BRIDGE_SOURCE });
  const edit = importFrom(module, bridge.importFrom, 'run_sync', 'local');
  if (edit) edits.push(edit);
}

/** Combines insertions at the same offset of the same file into one edit, in order, so they do not conflict with each other. */
export function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const merged: TextEdit[] = [];
  for (const edit of edits) {
    const previous = merged.find((other) => other.file === edit.file && other.start === edit.start && other.end === edit.start && edit.end === edit.start);
    if (previous) previous.text += edit.text;
    else merged.push({ ...edit });
  }
  return merged;
}

/** Source of the generated bridge: one event loop thread per worker process, results awaited with a timeout. */
export const BRIDGE_SOURCE = `"""Runs coroutines from synchronous code on one event loop thread per worker process."""
import asyncio
import concurrent.futures
import os
import threading

DEFAULT_TIMEOUT = float(os.environ.get("ASYNC_BRIDGE_TIMEOUT", "10"))

_loop = None
_loop_pid = None
_loop_lock = threading.Lock()


def _event_loop():
    """Returns this process's event loop, starting its thread on first use and again after a fork."""
    global _loop, _loop_pid
    with _loop_lock:
        if _loop is None or _loop_pid != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="async-bridge", daemon=True).start()
            _loop, _loop_pid = loop, os.getpid()
        return _loop


def run_sync(coroutine, timeout=None):
    """Runs a coroutine on the worker's event loop and returns its result, waiting at most \`timeout\` seconds."""
    future = asyncio.run_coroutine_threadsafe(coroutine, _event_loop())
    try:
        return future.result(timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise
`;

/** Replaces `[start, end)` of a module with `run_sync(<inner>)`, importing the bridge and creating it when missing. */
export function bridgeCallFix(model: SystemModel, module: PythonModule, start: number, end: number, inner: string, title: string): Fix {
  const edits: TextEdit[] = [{ file: module.file.relPath, start, end, text: `run_sync(${inner})` }];
  const newFiles: NewFile[] = [];
  addBridge(model, module, edits, newFiles);
  return { title, safety: 'unsafe', edits, newFiles };
}
