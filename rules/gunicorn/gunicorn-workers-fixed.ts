import { WORKERS_EXPRESSION } from '../../src/fix/gunicorn-config';
import { defineRule } from '../../src/rule';
import { appendSettings, replaceConfigSetting, settingFix } from './setting-fixes';
import { environmentSets, missingSettingLocation, numberOf } from './setting-values';

const FIX_TITLE = 'Read `workers` from `WEB_CONCURRENCY`, with a capped CPU-based default';
const WORKERS_IMPORTS = ['multiprocessing', 'os'];

export default defineRule({
  meta: {
    id: 'gunicorn-workers-fixed',
    area: 'gunicorn',
    description: 'The number of Gunicorn workers is a fixed number or the default of one',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      unset: '`workers` is not set, so Gunicorn starts a single worker process.',
      fixed: '`workers` is fixed at `{{count}}`, and no environment variable can change it per deployment.',
    },
    docs: {
      whatItDoes:
        'Reports a `workers` setting (config file, GUNICORN_CMD_ARGS or `-w`) that is a plain number, and a system that does not set it at all while `WEB_CONCURRENCY` is not in the container environment (Gunicorn then starts 1 worker).',
      whyItMatters:
        'One sync worker serves one request at a time: a single slow request stalls the whole service, and the health check with it. A number written into the image cannot follow the CPU and memory the deployment actually gets.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworkers = 1\n',
        },
        good: {
          'gunicorn.conf.py':
            'import multiprocessing\nimport os\n\nbind = "0.0.0.0:8000"\nworkers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))\n',
        },
      },
      useInstead:
        'Read the count from the environment with a capped CPU-based fallback: `workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))`.',
      fixSafety:
        'Unsafe: the fix writes `workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)))` in the config file, replacing a fixed number or adding the line, with `import multiprocessing` and `import os` when needed. The number of workers, and so the memory the service uses, changes unless `WEB_CONCURRENCY` is set. A `-w` flag on the command line gets no fix, because a flag cannot hold the formula.',
      knownLimitations: 'Variables that the orchestrator sets at run time, outside the Dockerfile and compose files, are not seen.',
    },
  },
  check(model, context) {
    const workers = model.gunicorn.settings.get('workers');
    if (!model.gunicorn.used || !workers) return;

    if (workers.source === 'default') {
      const location = missingSettingLocation(model);
      if (environmentSets(model, 'WEB_CONCURRENCY') || !location) return;
      const edits = appendSettings(model, [`workers = ${WORKERS_EXPRESSION}`], WORKERS_IMPORTS);
      context.report({ messageId: 'unset', location, fix: settingFix(FIX_TITLE, 'unsafe', edits) });
      return;
    }

    const count = numberOf(workers.value);
    if (count === null || !workers.location) return;
    const edits = replaceConfigSetting(model, workers, WORKERS_EXPRESSION, WORKERS_IMPORTS);
    context.report({ messageId: 'fixed', data: { count }, location: workers.location, fix: settingFix(FIX_TITLE, 'unsafe', edits) });
  },
});
