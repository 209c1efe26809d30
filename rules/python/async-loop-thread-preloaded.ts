import { productionCalls } from '../../src/model/flask-queries';
import type { PythonCall, PythonFunction } from '../../src/model/types';
import { defineRule } from '../../src/rule';

/** Calls that create a thread or an event loop, which a fork does not carry into the workers. */
const LOOP_OR_THREAD = /^(threading\.Thread|asyncio\.new_event_loop|asyncio\.get_event_loop)$/;

export default defineRule({
  meta: {
    id: 'async-loop-thread-preloaded',
    area: 'python',
    description: 'An event loop or thread is created at import while Gunicorn preloads the app',
    severity: 'error',
    fixable: 'none',
    spansFiles: true,
    messages: {
      atImport:
        '`{{call}}` runs at import and `preload_app` is on, so it runs once in the Gunicorn master; forked workers get the loop object without its thread, and coroutines submitted to it never run.',
    },
    docs: {
      whatItDoes:
        'When Gunicorn preloads the app (`preload_app = True` or `--preload`), reports threads and event loops created at import: at module level, or in a function that module-level code calls (such as a factory behind `app = create_app()`).',
      whyItMatters:
        '`fork()` copies only the calling thread. With preloading, the app is imported in the master; a loop thread started there does not exist in the workers, so `run_coroutine_threadsafe(...).result()` waits for a loop that never runs, and every request that needs it times out.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'preload_app = True\n',
          'bridge.py':
            'import asyncio\nimport threading\n\nloop = asyncio.new_event_loop()\nthreading.Thread(target=loop.run_forever, daemon=True).start()\n',
        },
        good: {
          'gunicorn.conf.py': 'preload_app = True\n',
          'bridge.py':
            'import asyncio\nimport threading\n\n_loop = None\n\n\ndef get_loop():\n    global _loop\n    if _loop is None:\n        _loop = asyncio.new_event_loop()\n        threading.Thread(target=_loop.run_forever, daemon=True).start()\n    return _loop\n',
        },
      },
      useInstead: 'Start the loop lazily on first use in each worker, or in Gunicorn\'s `post_fork` hook, or turn `preload_app` off.',
    },
  },
  check(model, context) {
    const preload = model.gunicorn.settings.get('preload_app')?.value;
    if (preload?.kind !== 'literal' || preload.value !== true) return;

    const calls = productionCalls(model);
    const creatorFunctions = new Set<PythonFunction>();
    for (const call of calls) {
      if (LOOP_OR_THREAD.test(call.callee) && call.scope) creatorFunctions.add(call.scope);
    }

    for (const call of calls) {
      if (call.scope !== null || call.underMainGuard) continue;
      const direct = LOOP_OR_THREAD.test(call.callee);
      const indirect = call.target !== null && creatorFunctions.has(call.target) && !isLazy(call.target);
      if (!direct && !indirect) continue;

      context.report({ messageId: 'atImport', data: { call: shorten(call) }, location: call.location });
    }
  },
});

/** A function that guards creation with `if _loop is None` creates lazily on first use. */
function isLazy(fn: PythonFunction): boolean {
  return /\bif\s+[\w.]+\s+is\s+None\b|\bif\s+not\s+[\w.]+\s*:/.test(fn.node.text);
}

function shorten(call: PythonCall): string {
  const text = call.node.text.replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
