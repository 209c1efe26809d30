import { productionCalls } from '../../src/model/flask-queries';
import type { PythonCall, PythonFunction } from '../../src/model/types';
import { defineRule } from '../../src/rule';

/** Calls that open connections or pools, which a fork copies into every worker as shared sockets. */
const SHARED_RESOURCE = new RegExp(
  '^(' +
    [
      'sqlalchemy\\.create_engine',
      'sqlalchemy\\.engine\\.create_engine',
      'psycopg2\\.connect',
      'psycopg2\\.pool\\.\\w+',
      'psycopg\\.connect',
      'psycopg_pool\\.\\w*ConnectionPool',
      'pymysql\\.connect',
      'redis\\.(Redis|StrictRedis|ConnectionPool|from_url)',
      'redis\\.Redis\\.from_url',
      'pymongo\\.MongoClient',
      'concurrent\\.futures\\.(ThreadPoolExecutor|ProcessPoolExecutor)',
      'multiprocessing\\.Pool',
      'grpc\\.(insecure_channel|secure_channel)',
      'httpx\\.(Client|AsyncClient)',
    ].join('|') +
    ')$',
);

export default defineRule({
  meta: {
    id: 'preload-shared-resources',
    area: 'system',
    description: 'Connections or pools are opened at import while Gunicorn preloads the app',
    severity: 'error',
    fixable: 'none',
    spansFiles: true,
    messages: {
      atImport:
        '`{{call}}` runs at import and `preload_app` is on, so the Gunicorn master opens it once and every forked worker shares the same sockets, which corrupts their traffic.',
    },
    docs: {
      whatItDoes:
        'When Gunicorn preloads the app (`preload_app = True` or `--preload`), reports database engines, connection pools, Redis and MongoDB clients, executors and gRPC channels created at import: at module level, or in a function that module-level code calls (such as a factory behind `app = create_app()`).',
      whyItMatters:
        'With preloading, the app is imported once in the master and the workers are forked from it. A connection opened before the fork is one socket shared by every worker: their queries interleave on the wire, responses reach the wrong worker, and pools hand the same connection to several processes. Executors lose their threads in the fork.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'preload_app = True\n',
          'db.py': 'import os\n\nfrom sqlalchemy import create_engine\n\nengine = create_engine(os.environ["DATABASE_URL"])\n',
        },
        good: {
          'gunicorn.conf.py': 'preload_app = True\n',
          'db.py':
            'import functools\nimport os\n\nfrom sqlalchemy import create_engine\n\n\n@functools.cache\ndef engine():\n    return create_engine(os.environ["DATABASE_URL"])\n',
        },
      },
      useInstead:
        'Create connections lazily on first use in each worker (a cached function), or in Gunicorn\'s `post_fork` hook; or call `engine.dispose()` in `post_fork`; or turn `preload_app` off.',
      knownLimitations: 'Creation reached through more than one level of function calls from module level is not followed.',
    },
  },
  check(model, context) {
    const preload = model.gunicorn.settings.get('preload_app')?.value;
    if (preload?.kind !== 'literal' || preload.value !== true) return;

    const calls = productionCalls(model);
    const creators = new Set<PythonFunction>();
    for (const call of calls) {
      if (call.scope && SHARED_RESOURCE.test(call.callee) && !isCached(call.scope)) creators.add(call.scope);
    }

    for (const call of calls) {
      if (call.scope !== null || call.underMainGuard) continue;
      const direct = SHARED_RESOURCE.test(call.callee);
      const indirect = call.target !== null && creators.has(call.target);
      if (!direct && !indirect) continue;

      context.report({ messageId: 'atImport', data: { call: shorten(call) }, location: call.location });
    }
  },
});

/** A cached or lazily guarded function creates its resource on first use, in the worker that calls it. */
function isCached(fn: PythonFunction): boolean {
  const decorated = fn.node.parent?.type === 'decorated_definition' ? fn.node.parent.text : '';
  return /@(functools\.)?(cache|lru_cache)\b/.test(decorated) || /\bif\s+[\w.]+\s+is\s+None\b/.test(fn.node.text);
}

function shorten(call: PythonCall): string {
  const text = call.node.text.replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
