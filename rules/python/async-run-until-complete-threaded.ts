import { productionCalls } from '../../src/model/flask-queries';
import type { PythonCall, SystemModel } from '../../src/model/types';
import { bridgeCallFix } from '../../src/fix/generated-modules';
import { defineRule } from '../../src/rule';

export default defineRule({
  meta: {
    id: 'async-run-until-complete-threaded',
    area: 'python',
    description: '`run_until_complete` in a request path under threaded Gunicorn workers',
    severity: 'warning',
    fixable: 'unsafe',
    spansFiles: true,
    messages: {
      noCurrentLoop:
        '`{{call}}` runs in a request thread of the `gthread` worker, where `asyncio.get_event_loop()` raises "There is no current event loop in thread".',
      loopRunning:
        '`{{call}}` runs in a request thread of the `gthread` worker; concurrent requests share the loop and fail with "This event loop is already running".',
    },
    docs: {
      whatItDoes:
        'When Gunicorn uses threaded workers (`worker_class = "gthread"` or `threads > 1`), reports `loop.run_until_complete(...)` inside functions. It is an error when the loop comes from `asyncio.get_event_loop()`.',
      whyItMatters:
        'Under `gthread` each request runs in a worker thread. `asyncio.get_event_loop()` in a thread without a loop raises, and a loop shared between threads cannot run two `run_until_complete` calls at once, so under load requests fail intermittently.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'worker_class = "gthread"\nthreads = 4\n',
          'views.py': 'import asyncio\n\n\ndef status(store):\n    return asyncio.get_event_loop().run_until_complete(store.status())\n',
        },
        good: {
          'gunicorn.conf.py': 'worker_class = "gthread"\nthreads = 4\n',
          'views.py':
            'import asyncio\n\nfrom bridge import loop\n\n\ndef status(store):\n    return asyncio.run_coroutine_threadsafe(store.status(), loop).result(timeout=5)\n',
        },
      },
      fixSafety:
        'Unsafe: the fix replaces `loop.run_until_complete(...)` with `run_sync(...)` from a generated `async_bridge` module (created next to the calling module when the system has none), which runs the coroutine on one event loop thread per worker process and waits for it with a timeout (`ASYNC_BRIDGE_TIMEOUT`, 10 s by default). The call now really runs, which is the point, but its side effects and its time now count.',
      useInstead: 'One event loop thread per worker process, and `asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=...)` from request threads.',
    },
  },
  check(model, context) {
    if (!isThreaded(model)) return;

    for (const call of productionCalls(model)) {
      if (call.method !== 'run_until_complete' || !call.scope) continue;

      const text = call.node.text.replace(/\s+/g, ' ');
      const argument = call.args[0];
      const fix = argument && argument.name === null
        ? bridgeCallFix(model, call.module, call.node.startIndex, call.node.endIndex, argument.node.text, 'Run the coroutine on the per-process loop through `run_sync`')
        : undefined;
      const data = { call: text.length > 70 ? `${text.slice(0, 67)}...` : text };
      if (usesCurrentLoop(model, call)) {
        context.report({ messageId: 'noCurrentLoop', data, location: call.location, severity: 'error', fix });
        continue;
      }
      context.report({ messageId: 'loopRunning', data, location: call.location, fix });
    }
  },
});

function isThreaded(model: SystemModel): boolean {
  const workerClass = model.gunicorn.settings.get('worker_class')?.value;
  if (workerClass?.kind === 'literal' && typeof workerClass.value === 'string' && /gthread/.test(workerClass.value)) return true;

  const threads = model.gunicorn.settings.get('threads')?.value;
  return threads?.kind === 'literal' && typeof threads.value === 'number' && threads.value > 1;
}

function usesCurrentLoop(model: SystemModel, call: PythonCall): boolean {
  const receiver = call.node.childForFieldName('function')?.childForFieldName('object');
  if (!receiver) return false;

  const value = model.python.valueOf(call.module, receiver);
  return value.kind === 'call' && /(^|\.)get_event_loop$/.test(value.callee);
}
