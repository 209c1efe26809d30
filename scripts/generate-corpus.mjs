#!/usr/bin/env node
// Writes a synthetic tree of many Flask + Gunicorn + Docker services for `npm run bench`.
//
//   node scripts/generate-corpus.mjs [--systems 500] [--seed 1] [--out DIR]
//
// The services vary the way generated and hand-written ones do: dev-grade and production-grade,
// an app at module level or built by a factory, blueprints, async stores, requirements with
// includes (some from a file shared by a team folder), compose files, Kubernetes manifests,
// config YAML, a few services nested inside another, and library modules that bring each
// service to a realistic size. The same seed and size always give the same files. At the
// default size the tree holds about 2,700 files and 11 MB.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file that marks a folder as a corpus this script wrote, so it may empty the folder before writing again. */
const MARKER = '.prodcheck-bench-corpus';
const SYSTEMS_PER_TEAM = 25;

const NOUNS = [
  'order', 'invoice', 'customer', 'shipment', 'payment', 'booking', 'ticket', 'account', 'product', 'review',
  'session', 'report', 'device', 'message', 'subscription', 'warehouse', 'coupon', 'vendor', 'asset', 'policy',
];
const FIELDS = ['name', 'status', 'amount', 'currency', 'email', 'region', 'quantity', 'priority', 'owner', 'reference', 'notes', 'due_date', 'tags', 'score'];
const PACKAGES = [
  ['requests', '2.32.3', 'requests'],
  ['PyYAML', '6.0.2', 'yaml'],
  ['redis', '5.0.8', 'redis'],
  ['SQLAlchemy', '2.0.35', 'sqlalchemy'],
  ['marshmallow', '3.22.0', 'marshmallow'],
  ['python-dateutil', '2.9.0', 'dateutil'],
  ['boto3', '1.35.20', 'boto3'],
  ['celery', '5.4.0', 'celery'],
];

/** Returns a deterministic pseudo-random generator (mulberry32) for the seed. */
function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (probability) => next() < probability,
    int: (low, high) => low + Math.floor(next() * (high - low + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    sample: (list, count) => {
      const copy = [...list];
      const picked = [];
      while (picked.length < count && copy.length > 0) picked.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
      return picked;
    },
  };
}

const plural = (noun) => (noun.endsWith('y') ? `${noun.slice(0, -1)}ies` : noun.endsWith('s') ? `${noun}es` : `${noun}s`);
const title = (word) => word.charAt(0).toUpperCase() + word.slice(1);
const camel = (word) => word.split('_').map(title).join('');

// ---------------------------------------------------------------------------------------------
// One service

/** Chooses what one service looks like. */
function describeService(random, index) {
  const noun = random.pick(NOUNS);
  const production = random.chance(0.6);
  const layout = random.pick(['module', 'module', 'flat-factory', 'flat-factory', 'package']);
  return {
    index,
    noun,
    nouns: plural(noun),
    name: `${plural(noun)}-${String(index).padStart(4, '0')}`,
    production,
    layout,
    asyncStore: random.chance(0.2),
    dockerfile: random.chance(production ? 0.95 : 0.8),
    gunicornConfig: random.chance(production ? 0.8 : 0.25),
    includes: random.chance(0.12),
    sharedRequirements: random.chance(0.1),
    config: random.chance(0.2),
    compose: random.chance(0.15),
    kubernetes: random.chance(0.08),
    library: random.chance(0.5),
    port: random.pick([5000, 8000, 8080]),
    extras: random.sample(PACKAGES, random.int(0, 3)),
    endpoints: random.int(12, 30),
    brokenSyntax: random.chance(0.01),
  };
}

/** Returns the files of one service, keyed by path relative to its folder. */
function serviceFiles(random, service) {
  const files = {};
  const appModule = service.layout === 'package' ? 'app' : 'main';
  const target = service.layout === 'package' ? 'wsgi:app' : 'main:app';

  if (service.layout === 'module') {
    files['main.py'] = moduleApp(random, service);
  } else if (service.layout === 'flat-factory') {
    files['main.py'] = factoryApp(random, service, '');
    files['routes.py'] = blueprintModule(random, service, '');
  } else {
    files['app/__init__.py'] = factoryApp(random, service, '.');
    files['app/routes.py'] = blueprintModule(random, service, '.');
    files['wsgi.py'] = `from ${appModule} import create_app\n\napp = create_app()\n`;
  }

  if (service.asyncStore) files[service.layout === 'package' ? 'app/store.py' : 'store.py'] = asyncStore(random, service);
  if (service.library) files[service.layout === 'package' ? 'app/services.py' : 'services.py'] = libraryModule(random, service);
  if (service.brokenSyntax) files['scripts/migrate.py'] = 'def migrate(:\n    pass\n';

  Object.assign(files, requirementsFiles(random, service));
  if (service.gunicornConfig) files['gunicorn.conf.py'] = gunicornConfig(random, service);
  if (service.dockerfile) files.Dockerfile = dockerfile(random, service, target);
  if (service.config) files['config/system_config.yaml'] = systemConfig(random, service);
  if (service.compose) files['docker-compose.yml'] = compose(random, service);
  if (service.kubernetes) files['k8s/deployment.yaml'] = kubernetes(random, service);
  return files;
}

function moduleApp(random, service) {
  const { noun, nouns, production } = service;
  const lines = [`"""${title(nouns)} API."""`, '', 'import logging', 'import os', ''];
  lines.push('from flask import Flask, abort, jsonify, request');
  if (!production || random.chance(0.5)) lines.push('from flask_cors import CORS');
  if (service.asyncStore) lines.push('', `from store import ${title(noun)}Store`);
  lines.push('', 'log = logging.getLogger(__name__)', '');
  if (production) lines.push('logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))', '');
  lines.push('app = Flask(__name__)');
  lines.push(production ? 'app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]' : `app.config["SECRET_KEY"] = "${nouns}-secret-${random.int(1000, 9999)}"`);
  if (production) lines.push('app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024');
  if (lines.some((line) => line.includes('flask_cors'))) lines.push(production ? 'CORS(app, origins=os.environ.get("CORS_ORIGINS", "").split(","))' : 'CORS(app)');
  lines.push('');
  lines.push(service.asyncStore ? `store = ${title(noun)}Store()` : `${nouns} = {}`);
  lines.push('request_count = 0', '', '');
  if (!production) lines.push('@app.before_request', 'def count_request():', '    global request_count', '    request_count += 1', '', '');
  if (production) lines.push(...healthRoutes('app', service), '');
  for (let i = 0; i < service.endpoints; i++) lines.push(...endpoint(random, service, 'app', i), '');
  if (production) lines.push(...errorHandlers('app'), '');
  lines.push(production ? `if __name__ == "__main__":\n    app.run(host="127.0.0.1", port=${service.port})` : `app.run(debug=True, host="0.0.0.0", port=${service.port})`);
  return `${lines.join('\n')}\n`;
}

function factoryApp(random, service, relative) {
  const { production } = service;
  const from = relative ? '.routes' : 'routes';
  const lines = [`"""${title(service.nouns)} service: the application factory."""`, '', 'import logging', 'import logging.config', 'import os', ''];
  lines.push('from flask import Flask, jsonify');
  if (production) lines.push('from werkzeug.exceptions import HTTPException', 'from werkzeug.middleware.proxy_fix import ProxyFix');
  lines.push('', `from ${from} import api`, '');
  lines.push('LOGGING = {', '    "version": 1,', '    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},', '    "root": {"level": "INFO", "handlers": ["stdout"]},', '}', '', '');
  lines.push('def create_app():');
  if (production) lines.push('    logging.config.dictConfig(LOGGING)');
  lines.push('    app = Flask(__name__)');
  if (production) {
    lines.push('    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]', '    app.config["MAX_CONTENT_LENGTH"] = int(os.environ.get("MAX_CONTENT_LENGTH", 1048576))');
    lines.push('    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)');
  } else {
    lines.push('    app.config["DEBUG"] = True', '    app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "dev")');
  }
  lines.push(`    app.register_blueprint(api, url_prefix="/api/v${random.int(1, 3)}")`);
  if (production) {
    lines.push('', '    @app.get("/health")', '    def health():', '        return jsonify(status="ok")', '');
    lines.push('    @app.get("/ready")', '    def ready():', '        return jsonify(status="ready")', '');
    lines.push('    @app.errorhandler(HTTPException)', '    def handle_http_error(error):', '        return jsonify(error=error.name), error.code', '');
  }
  lines.push('    return app', '');
  if (service.layout !== 'package') lines.push('', 'app = create_app()', '');
  if (!production && service.layout !== 'package') lines.push('if __name__ == "__main__":', `    app.run(debug=True, port=${service.port})`, '');
  return lines.join('\n');
}

function blueprintModule(random, service, relative) {
  const lines = [`"""${title(service.nouns)} API routes."""`, '', 'import logging', '', 'from flask import Blueprint, abort, jsonify, request'];
  if (service.asyncStore) lines.push('', `from ${relative ? '.store' : 'store'} import ${title(service.noun)}Store`);
  lines.push('', 'log = logging.getLogger(__name__)', '', 'api = Blueprint("api", __name__)');
  lines.push(service.asyncStore ? `store = ${title(service.noun)}Store()` : `${service.nouns} = {}`, '', '');
  for (let i = 0; i < service.endpoints; i++) lines.push(...endpoint(random, service, 'api', i), '');
  return `${lines.join('\n')}\n`;
}

function healthRoutes(owner) {
  return [
    `@${owner}.get("/health")`, 'def health():', '    return jsonify(status="ok")', '', '',
    `@${owner}.get("/ready")`, 'def ready():', '    return jsonify(status="ready")', '',
  ];
}

function errorHandlers(owner) {
  return [
    `@${owner}.errorhandler(404)`, 'def not_found(error):', '    return jsonify(error="not found"), 404', '', '',
    `@${owner}.errorhandler(500)`, 'def server_error(error):', '    log.exception("unhandled error")', '    return jsonify(error="internal error"), 500', '',
  ];
}

/** Returns the lines of one view function. Its store calls depend on whether the store is async and the service production-grade. */
function endpoint(random, service, owner, index) {
  const { noun, nouns } = service;
  const field = random.pick(FIELDS);
  const kind = random.pick(['list', 'get', 'create', 'update', 'delete', 'search']);
  const name = `${kind}_${kind === 'list' || kind === 'search' ? nouns : noun}_${index}`;
  const route = kind === 'list' || kind === 'create' || kind === 'search' ? `/${nouns}${kind === 'search' ? '/search' : ''}` : `/${nouns}/<${noun}_id>`;
  const method = { list: 'get', get: 'get', create: 'post', update: 'put', delete: 'delete', search: 'get' }[kind];
  const decorator = random.chance(0.5) ? `@${owner}.${method}("${route}/v${index}")` : `@${owner}.route("${route}/v${index}", methods=["${method.toUpperCase()}"])`;
  const parameter = route.includes('<') ? `${noun}_id` : '';
  const lines = [decorator, `def ${name}(${parameter}):`, `    """${title(kind)} ${kind === 'list' || kind === 'search' ? nouns : `one ${noun}`} by ${field}."""`];

  if (service.asyncStore) {
    const call = kind === 'list' || kind === 'search' ? 'store.query()' : `store.query(${parameter || 'None'})`;
    if (service.production) {
      lines.push('    import asyncio', '', `    records = asyncio.run(${call})`);
    } else {
      lines.push(`    records = ${call}`);
    }
    lines.push('    if not records:', `        abort(404, description="no ${nouns} found")`, '    return jsonify(records)');
    return lines;
  }

  if (kind === 'create' || kind === 'update') {
    lines.push('    payload = request.get_json(silent=True)', '    if not isinstance(payload, dict):', '        abort(400, description="the body must be a JSON object")');
    lines.push(`    value = payload.get("${field}")`, '    if value is None:', `        abort(400, description="${field} is required")`);
    lines.push(`    key = ${parameter || `str(len(${nouns}) + 1)`}`, `    ${nouns}[key] = {"id": key, "${field}": value, **payload}`);
    lines.push(`    log.info("${kind} ${noun} %s", key)`, `    return jsonify(${nouns}[key]), ${kind === 'create' ? 201 : 200}`);
  } else if (kind === 'delete') {
    lines.push(`    if ${parameter} not in ${nouns}:`, `        abort(404, description=f"${noun} {${parameter}} not found")`, `    del ${nouns}[${parameter}]`, '    return "", 204');
  } else if (kind === 'get') {
    lines.push(`    record = ${nouns}.get(${parameter})`, '    if record is None:', `        abort(404, description=f"${noun} {${parameter}} not found")`, '    return jsonify(record)');
  } else {
    lines.push(`    wanted = request.args.get("${field}")`, '    limit = request.args.get("limit", default=20, type=int)');
    lines.push(`    found = [record for record in ${nouns}.values() if wanted is None or record.get("${field}") == wanted]`);
    lines.push('    return jsonify(items=found[:limit], count=len(found))');
  }
  return lines;
}

function asyncStore(random, service) {
  const { noun, nouns } = service;
  const lines = [`"""${title(nouns)} kept behind an async interface."""`, '', 'import asyncio', 'import time', 'import uuid', '', ''];
  lines.push(`class ${title(noun)}Store:`, '    def __init__(self):', '        self._records = {}', '');
  const methods = ['health', 'query', 'save', ...random.sample(['expire', 'count', 'clear', 'touch'], random.int(1, 3))];
  for (const method of methods) {
    const argument = { query: ', key=None', save: ', data', expire: ', max_age' }[method] ?? '';
    lines.push(`    async def ${method}(self${argument}):`, '        await asyncio.sleep(0)');
    if (method === 'health') lines.push('        return True');
    else if (method === 'query') lines.push('        if key is None:', '            return list(self._records.values())', '        return self._records.get(key)');
    else if (method === 'save') lines.push('        key = uuid.uuid4().hex', '        self._records[key] = {"id": key, "data": data, "created": time.time()}', '        return key');
    else if (method === 'expire') lines.push('        cutoff = time.time() - max_age', '        return [record["id"] for record in self._records.values() if record["created"] < cutoff]');
    else if (method === 'count') lines.push('        return len(self._records)');
    else if (method === 'clear') lines.push('        self._records.clear()');
    else lines.push('        for record in self._records.values():', '            record["created"] = time.time()');
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Returns a module of repository classes, validators and queries, as services carry beside their routes. */
function libraryModule(random, service) {
  const lines = [`"""Domain logic of the ${service.nouns} service: repositories, validation and reports."""`, '', 'import datetime', 'import decimal', 'import logging', ''];
  for (const [, , module] of service.extras) lines.push(`import ${module}`);
  lines.push('', 'log = logging.getLogger(__name__)', '');

  const entities = random.sample(NOUNS, random.int(5, 8));
  for (const entity of entities) {
    const fields = random.sample(FIELDS, random.int(4, 8));
    const columns = ['id', ...fields].join(', ');
    lines.push(`${entity.toUpperCase()}_COLUMNS = (${['id', ...fields].map((field) => `"${field}"`).join(', ')})`);
    lines.push(`SELECT_${entity.toUpperCase()} = "SELECT ${columns} FROM ${plural(entity)} WHERE id = %s"`, '', '');
    lines.push(`class ${camel(entity)}Repository:`, `    """Reads and writes ${plural(entity)} in the database."""`, '', `    table = "${plural(entity)}"`, '');
    lines.push('    def __init__(self, connection):', '        self.connection = connection', '');
    lines.push('    def find(self, key):', '        cursor = self.connection.cursor()', `        cursor.execute(SELECT_${entity.toUpperCase()}, (key,))`, '        row = cursor.fetchone()');
    lines.push(`        return None if row is None else dict(zip(${entity.toUpperCase()}_COLUMNS, row))`, '');
    lines.push('    def insert(self, record):', `        placeholders = ", ".join(["%s"] * len(${entity.toUpperCase()}_COLUMNS))`);
    lines.push(`        values = tuple(record.get(column) for column in ${entity.toUpperCase()}_COLUMNS)`, '        cursor = self.connection.cursor()');
    lines.push(`        cursor.execute("INSERT INTO ${plural(entity)} (${columns}) VALUES (" + placeholders + ")", values)`, '        self.connection.commit()', '        return record["id"]', '');
    lines.push('    def page(self, offset=0, limit=50):', '        cursor = self.connection.cursor()');
    lines.push(`        cursor.execute("SELECT ${columns} FROM ${plural(entity)} ORDER BY id LIMIT %s OFFSET %s", (limit, offset))`);
    lines.push(`        return [dict(zip(${entity.toUpperCase()}_COLUMNS, row)) for row in cursor.fetchall()]`, '', '');
    for (const field of fields) {
      lines.push(`def validate_${entity}_${field}(value):`, `    """Check the ${field} of a ${entity} and return it normalised."""`);
      if (field === 'amount' || field === 'score' || field === 'quantity') {
        lines.push('    if value is None:', `        raise ValueError("${field} is required")`, '    number = decimal.Decimal(str(value))');
        lines.push('    if number < 0:', `        raise ValueError(f"${field} must not be negative, got {number}")`, '    return number', '', '');
      } else if (field === 'due_date') {
        lines.push('    if isinstance(value, datetime.date):', '        return value', '    return datetime.date.fromisoformat(str(value))', '', '');
      } else if (field === 'tags') {
        lines.push('    if not isinstance(value, (list, tuple)):', '        raise TypeError("tags must be a list")', '    return sorted({str(tag).strip().lower() for tag in value if str(tag).strip()})', '', '');
      } else {
        lines.push('    if not isinstance(value, str):', `        raise TypeError(f"${field} must be a string, not {type(value).__name__}")`);
        lines.push('    text = value.strip()', '    if not text:', `        raise ValueError("${field} must not be empty")`, `    if len(text) > ${random.int(32, 255)}:`, `        raise ValueError("${field} is too long")`, '    return text', '', '');
      }
    }
    lines.push(`def summarise_${plural(entity)}(records):`, `    """Count ${plural(entity)} by ${fields[0]} and report the newest one."""`, '    counts = {}', '    newest = None');
    lines.push('    for record in records:', `        key = record.get("${fields[0]}") or "unknown"`, '        counts[key] = counts.get(key, 0) + 1');
    lines.push('        if newest is None or record.get("id", 0) > newest.get("id", 0):', '            newest = record');
    lines.push(`    log.debug("summarised %d ${plural(entity)}", len(records))`, '    return {"counts": counts, "newest": newest, "total": len(records)}', '', '');
  }
  return `${lines.join('\n')}\n`;
}

function requirementsFiles(random, service) {
  const files = {};
  const pin = (name, version) => (service.production || random.chance(0.3) ? `${name}==${version}` : name);
  const main = [pin('Flask', '3.0.3')];
  if (service.production || service.gunicornConfig || random.chance(0.5)) main.push(pin('gunicorn', random.pick(['22.0.0', '23.0.0', '19.9.0'])));
  if (!service.production || random.chance(0.5)) main.push(pin('Flask-Cors', '4.0.1'));
  for (const [name, version] of service.extras) main.push(pin(name, version));

  const header = `# Production dependencies of the ${service.nouns} service.\n`;
  const shared = service.sharedRequirements ? '-r ../requirements-common.txt\n' : '';
  if (service.includes) {
    files['requirements.txt'] = `${header}-r requirements/base.txt\n${shared}`;
    files['requirements/base.txt'] = `${main.join('\n')}\n`;
  } else {
    files['requirements.txt'] = `${header}${shared}${main.join('\n')}\n`;
  }
  return files;
}

function gunicornConfig(random, service) {
  if (!service.production) {
    return ['bind = "127.0.0.1:8000"', 'workers = 4', 'reload = True', `timeout = ${random.pick([0, 30, 600])}`, ''].join('\n');
  }
  return [
    '"""Gunicorn settings; the environment overrides the port and the worker count."""',
    '',
    'import multiprocessing',
    'import os',
    '',
    `bind = f"0.0.0.0:{os.environ.get('PORT', '${service.port}')}"`,
    'workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))',
    `worker_class = "${random.pick(['sync', 'gthread'])}"`,
    'max_requests = 1000',
    'max_requests_jitter = 100',
    'timeout = 30',
    'graceful_timeout = 8',
    'worker_tmp_dir = "/dev/shm"  # nosec B108',
    'accesslog = "-"',
    'errorlog = "-"',
    '',
  ].join('\n');
}

function dockerfile(random, service, target) {
  const config = service.gunicornConfig ? '"--config", "gunicorn.conf.py", ' : `"--bind", "0.0.0.0:${service.port}", `;
  if (!service.production) {
    const command = random.chance(0.6) ? `CMD python ${service.layout === 'package' ? 'wsgi.py' : 'main.py'}` : `CMD gunicorn ${target}`;
    return ['FROM python:3.11', '', 'WORKDIR /app', 'COPY . .', 'RUN pip install -r requirements.txt', '', `EXPOSE ${service.port}`, '', command, ''].join('\n');
  }
  const lines = ['# syntax=docker/dockerfile:1', ''];
  if (random.chance(0.4)) lines.push('FROM python:3.12-slim AS build', 'WORKDIR /build', 'COPY requirements*.txt ./', 'COPY requirements ./requirements', 'RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt', '');
  lines.push('FROM python:3.12-slim', '', 'ENV PYTHONUNBUFFERED=1 \\', '    PYTHONDONTWRITEBYTECODE=1', '', 'WORKDIR /app', 'COPY requirements.txt .');
  lines.push('RUN pip install --no-cache-dir -r requirements.txt', 'RUN useradd --uid 10001 --no-create-home app', 'COPY . .', 'USER 10001', '', `EXPOSE ${service.port}`, '');
  lines.push('HEALTHCHECK --interval=30s --timeout=5s \\', `    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${service.port}/health', timeout=3)"]`, '');
  lines.push(`CMD ["gunicorn", ${config}"${target}"]`, '');
  return lines.join('\n');
}

function systemConfig(random, service) {
  const secret = service.production ? '${DATABASE_PASSWORD}' : `hunter${random.int(10, 99)}`;
  return [
    'system:',
    `  name: ${service.name}`,
    `  debug: ${service.production ? 'false' : 'true'}`,
    'database:',
    `  host: ${service.noun}-db.internal`,
    '  port: 5432',
    `  user: ${service.noun}`,
    `  password: "${secret}"`,
    'store:',
    `  timeout_seconds: ${random.int(1, 10)}`,
    '',
  ].join('\n');
}

function compose(random, service) {
  const lines = ['services:', `  ${service.noun}:`, '    build: .', '    ports:', `      - "${service.port}:${service.port}"`];
  if (!service.production) lines.push('    environment:', '      FLASK_DEBUG: "1"');
  if (service.production) lines.push('    environment:', '      SECRET_KEY: ${SECRET_KEY}', `    stop_grace_period: ${random.pick(['10s', '30s'])}`);
  return `${lines.join('\n')}\n`;
}

function kubernetes(random, service) {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${service.name}`,
    'spec:',
    `  replicas: ${random.int(1, 4)}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${service.name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${service.name}`,
    '    spec:',
    '      terminationGracePeriodSeconds: 30',
    '      containers:',
    `        - name: ${service.noun}`,
    `          image: registry.example/${service.name}:1.0.0`,
    '          ports:',
    `            - containerPort: ${service.port}`,
    '          livenessProbe:',
    '            httpGet:',
    '              path: /health',
    `              port: ${service.port}`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The tree

/**
 * Writes the corpus into `out`, emptying it first when an earlier run of this script wrote it.
 * Returns the number of systems, files and bytes written.
 */
export function generateCorpus({ systems, out, seed = 1 }) {
  prepareFolder(out);
  const random = createRandom(seed);
  let files = 0;
  let bytes = 0;
  const write = (relPath, text) => {
    const absolute = path.join(out, relPath);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, text);
    files++;
    bytes += Buffer.byteLength(text);
  };

  let previous = null;
  for (let index = 0; index < systems; index++) {
    const team = `team-${String(Math.floor(index / SYSTEMS_PER_TEAM) + 1).padStart(3, '0')}`;
    const service = describeService(random, index + 1);
    if (index % SYSTEMS_PER_TEAM === 0) write(`${team}/requirements-common.txt`, 'requests==2.32.3\nPyYAML==6.0.2\n');

    // About one service in twenty sits inside the folder of the one before, as an admin app beside its API.
    const nested = previous !== null && previous.team === team && random.chance(0.05);
    if (nested) service.dockerfile = true;
    const folder = nested ? `${previous.folder}/${service.noun}-admin` : `${team}/${service.name}`;
    if (nested) service.sharedRequirements = false;

    for (const [relPath, text] of Object.entries(serviceFiles(random, service))) write(`${folder}/${relPath}`, text);
    previous = nested ? previous : { team, folder };
  }

  fs.writeFileSync(path.join(out, MARKER), `systems=${systems} seed=${seed}\n`);
  return { systems, files, bytes };
}

function prepareFolder(out) {
  if (fs.existsSync(out)) {
    const entries = fs.readdirSync(out);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`${out} is not empty and was not written by generate-corpus.mjs; choose another --out`);
    }
    fs.rmSync(out, { recursive: true, force: true });
  }
  fs.mkdirSync(out, { recursive: true });
}

/** Returns the default corpus folder, in the system's temporary folder, one per size and seed. */
export function defaultCorpusFolder(systems, seed = 1) {
  return path.join(os.tmpdir(), 'prodcheck-bench', `corpus-${systems}-seed-${seed}`);
}

function parseArguments(argv) {
  const options = { systems: 500, seed: 1, out: null };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === '--systems' || name === '--seed') {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1) throw new Error(`${name} needs a whole number of 1 or more, not \`${value}\``);
      options[name.slice(2)] = number;
      i++;
    } else if (name === '--out') {
      if (!value) throw new Error('--out needs a folder');
      options.out = path.resolve(value);
      i++;
    } else {
      throw new Error(`unknown option \`${name}\`; the options are --systems N, --seed N and --out DIR`);
    }
  }
  options.out ??= defaultCorpusFolder(options.systems, options.seed);
  return options;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const options = parseArguments(process.argv.slice(2));
    const written = generateCorpus(options);
    process.stdout.write(`Wrote ${written.systems} systems, ${written.files} files, ${(written.bytes / 1e6).toFixed(1)} MB to ${options.out}\n`);
  } catch (error) {
    process.stderr.write(`generate-corpus: ${error.message}\n`);
    process.exit(2);
  }
}
