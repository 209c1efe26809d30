import { runtimeEnvironment } from '../../src/model/environment';
import { productionCalls } from '../../src/model/flask-queries';
import type { PythonCall, SystemModel } from '../../src/model/types';
import { configImports, configTree, mergeInsertions } from '../../src/fix/gunicorn-config';
import { defineRule, type Fix, type TextEdit } from '../../src/rule';
import { lineLocation, lineStarts, positionAt, type Location, type SourceFile } from '../../src/source';
import { numberOf, resolveEnv } from '../gunicorn/setting-values';

const SINGLE_PROCESS_EXPORTER = /^prometheus_flask_exporter\.(PrometheusMetrics|RESTfulPrometheusMetrics)$/;
const MULTIPROCESS_EXPORTER = /^prometheus_flask_exporter(\.multiprocess)?\.(GunicornInternalPrometheusMetrics|GunicornPrometheusMetrics|MultiprocessPrometheusMetrics)$/;
const RENDERERS = /^prometheus_client(\.exposition)?\.(generate_latest|make_wsgi_app)$/;
const COLLECTOR = /^prometheus_client(\.multiprocess)?\.MultiProcessCollector$/;
const DIRECTORY_VARIABLES = ['PROMETHEUS_MULTIPROC_DIR', 'prometheus_multiproc_dir'];

export default defineRule({
  meta: {
    id: 'prometheus-multiprocess-missing',
    area: 'system',
    description: 'Prometheus metrics are per worker under several Gunicorn workers',
    severity: 'warning',
    fixable: 'unsafe',
    spansFiles: true,
    messages: {
      exporter: '`{{call}}` keeps one registry per Gunicorn worker, so each scrape returns the counters of whichever worker answers and they jump between scrapes; use `GunicornInternalPrometheusMetrics`.',
      registry: '`{{call}}` renders the serving worker\'s own registry, so counters jump between scrapes under several workers; collect with `multiprocess.MultiProcessCollector`.',
      directoryUnset: 'Multiprocess metrics need `PROMETHEUS_MULTIPROC_DIR` in the image environment, set before Python starts, and the image sets none.',
      childExitMissing: 'The Gunicorn config has no `child_exit` hook calling `mark_process_dead`, so the gauges of exited workers are reported forever.',
      notWiped: 'Nothing empties `PROMETHEUS_MULTIPROC_DIR` when Gunicorn starts, so after a container restart the files of the previous run are counted again.',
    },
    docs: {
      whatItDoes:
        'When Gunicorn runs more than one worker (a number above 1, a formula, or `WEB_CONCURRENCY`), checks that Prometheus metrics are aggregated across workers: prometheus-flask-exporter\'s multiprocess classes or `prometheus_client` with `MultiProcessCollector`, `PROMETHEUS_MULTIPROC_DIR` set in the image or compose environment, a `child_exit` hook in the Gunicorn config that calls `mark_process_dead`, and the directory emptied at start (`on_starting` in the config, or an `rm` in the Dockerfile or entrypoint).',
      whyItMatters:
        'Each worker is a separate process with its own in-memory registry. Prometheus scrapes one worker at a time, so rates computed from counters that jump between workers are garbage, and alerts fire or stay silent at random. Multiprocess mode writes samples to files that any worker can merge.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'workers = 4\n',
          'main.py': 'from flask import Flask\nfrom prometheus_flask_exporter import PrometheusMetrics\n\napp = Flask(__name__)\nmetrics = PrometheusMetrics(app)\n',
        },
        good: {
          'gunicorn.conf.py':
            'import os\nimport shutil\n\nfrom prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics\n\nworkers = 4\n\n\ndef on_starting(server):\n    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)\n    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"])\n\n\ndef child_exit(server, worker):\n    GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)\n',
          'main.py':
            'from flask import Flask\nfrom prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics\n\napp = Flask(__name__)\nmetrics = GunicornInternalPrometheusMetrics(app)\n',
          Dockerfile: 'FROM python:3.12-slim\nENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus\nCMD ["gunicorn", "--config", "gunicorn.conf.py", "main:app"]\n',
        },
      },
      fixSafety:
        'Unsafe: for a missing `child_exit` or start-up cleanup, the fix appends a `child_exit` hook that calls `prometheus_client.multiprocess.mark_process_dead(worker.pid)`, or an `on_starting` hook that creates and empties the directory, to the Gunicorn config, with the imports; for a missing directory variable it adds `ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus` after the final stage\'s `FROM`. Metrics then come from files shared by all workers. Switching the exporter class is left to you.',
      useInstead:
        'Set `ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus` in the image, use `GunicornInternalPrometheusMetrics` (or `MultiProcessCollector` in your `/metrics` view), empty the directory in `on_starting` and call `mark_process_dead` from `child_exit`.',
      knownLimitations:
        'Emptying the directory is recognised by text: an `on_starting` or `when_ready` hook, or a Dockerfile or shell script line, that mentions the variable together with `rmtree`, `remove`, `unlink` or `rm`.',
    },
  },
  check(model, context) {
    if (!model.gunicorn.used || !runsSeveralWorkers(model)) return;

    const calls = productionCalls(model);
    const multiprocess = calls.filter((call) => MULTIPROCESS_EXPORTER.test(call.callee) || COLLECTOR.test(call.callee));
    const describe = (call: PythonCall) => call.node.text.replace(/\s+/g, ' ').slice(0, 60);

    for (const call of calls) {
      if (SINGLE_PROCESS_EXPORTER.test(call.callee)) context.report({ messageId: 'exporter', data: { call: describe(call) }, location: call.location });
      if (RENDERERS.test(call.callee) && !calls.some((other) => COLLECTOR.test(other.callee))) {
        context.report({ messageId: 'registry', data: { call: describe(call) }, location: call.location });
      }
    }
    if (multiprocess.length === 0) return;

    const anchor = multiprocess[0].location;
    const environment = runtimeEnvironment(model);
    if (!environment.some((entry) => DIRECTORY_VARIABLES.includes(entry.name))) {
      context.report({ messageId: 'directoryUnset', location: anchor, fix: directoryFix(model) });
    }

    const config = model.gunicorn.configFile;
    const configLocation: Location = config ? lineLocation(config, 1) : (model.gunicorn.invocation?.location ?? anchor);
    if (!config || !/def\s+child_exit\s*\([\s\S]*?mark_process_dead/.test(config.text)) {
      const fix = config && !/def\s+child_exit\b/.test(config.text) ? hookFix(model, config, 'child_exit', CHILD_EXIT_HOOK) : undefined;
      context.report({ messageId: 'childExitMissing', location: configLocation, fix });
    }
    if (!isWipedAtStart(model)) {
      const fix = config && !/def\s+on_starting\b/.test(config.text) ? hookFix(model, config, 'on_starting', ON_STARTING_HOOK) : undefined;
      context.report({ messageId: 'notWiped', location: configLocation, severity: 'info', fix });
    }
  },
});

const CHILD_EXIT_HOOK = `

def child_exit(server, worker):
    """Marks an exited worker's Prometheus files dead, so its gauges stop being reported."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        prometheus_client.multiprocess.mark_process_dead(worker.pid)
`;

const ON_STARTING_HOOK = `

def on_starting(server):
    """Creates and empties the Prometheus multiprocess folder, whose files from an earlier run would be counted again."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        return
    os.makedirs(path, exist_ok=True)
    for entry in os.scandir(path):
        if entry.is_file():
            os.remove(entry.path)
`;

/** Appends a server hook to the config file, with `import os` and `import prometheus_client.multiprocess` when missing. */
function hookFix(model: SystemModel, config: SourceFile, name: string, hook: string): Fix {
  const tree = configTree(model, config);
  const modules = ['os', ...(/^import prometheus_client\.multiprocess\b/m.test(config.text) ? [] : ['prometheus_client.multiprocess'])];
  const imports = configImports(tree, config, modules);
  const end = config.text.length;
  const needsBreak = end > 0 && !/[\r\n]$/.test(config.text);
  const append: TextEdit = { file: config.relPath, start: end, end, text: `${needsBreak ? '\n' : ''}${hook}` };
  return { title: `Add a \`${name}\` hook to the Gunicorn config`, safety: 'unsafe', edits: mergeInsertions([...imports, append]) };
}

/** Adds `ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus` on the line after the final stage's `FROM`. */
function directoryFix(model: SystemModel): Fix | undefined {
  const stage = model.docker.main?.target?.stage;
  if (!stage) return undefined;

  const file = stage.fromLocation.file;
  const { line } = positionAt(file, stage.fromLocation.end);
  const starts = lineStarts(file);
  const offset = line < starts.length ? starts[line] : file.text.length;
  const needsBreak = offset === file.text.length && !/[\r\n]$/.test(file.text);
  return {
    title: 'Set `PROMETHEUS_MULTIPROC_DIR` in the image',
    safety: 'unsafe',
    edits: [{ file: file.relPath, start: offset, end: offset, text: `${needsBreak ? '\n' : ''}ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus\n` }],
  };
}

function runsSeveralWorkers(model: SystemModel): boolean {
  const workers = model.gunicorn.settings.get('workers');
  if (!workers || workers.source === 'default') {
    const fromEnvironment = runtimeEnvironment(model).find((entry) => entry.name === 'WEB_CONCURRENCY');
    return fromEnvironment?.value !== undefined && fromEnvironment.value !== null && Number(fromEnvironment.value) > 1;
  }

  const count = numberOf(resolveEnv(workers.value, model));
  return count === null || count > 1;
}

/** True when the config's start hook, the Dockerfile or a shell script removes the files of the multiprocess directory. */
function isWipedAtStart(model: SystemModel): boolean {
  const config = model.gunicorn.configFile?.text ?? '';
  const hook = /def\s+(on_starting|when_ready)\s*\([^)]*\)\s*:([\s\S]*?)(?=\ndef\s|$)/g;
  for (const match of config.matchAll(hook)) {
    if (/multiproc/i.test(match[2]) && /rmtree|remove|unlink|rmdir/.test(match[2])) return true;
  }

  return model.files.some((file) => (file.kind === 'dockerfile' || file.kind === 'shell') && /\brm\s+-[a-z]*\b[^\n]*multiproc/i.test(file.text));
}
