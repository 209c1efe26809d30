import { productionCalls } from '../../src/model/flask-queries';
import type { PythonCall, SystemModel } from '../../src/model/types';
import { defineRule } from '../../src/rule';

const THREADSAFE = /(^|\.)run_coroutine_threadsafe$/;

export default defineRule({
  meta: {
    id: 'async-bridge-without-timeout',
    area: 'python',
    description: 'A bridged coroutine is awaited with `.result()` and no timeout',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      noTimeout: '`{{call}}` waits forever for the coroutine; a stuck store pins the worker until Gunicorn kills it. Pass `timeout=`.',
    },
    docs: {
      whatItDoes:
        'Reports `.result()` without a timeout on the future returned by `asyncio.run_coroutine_threadsafe(...)`, called directly or through a variable.',
      whyItMatters:
        'The calling worker thread blocks until the coroutine finishes. When the store hangs, every request that touches it hangs too, until Gunicorn\'s worker timeout kills the whole worker and all requests on it. With a timeout the request fails fast with a clear error, and the future can be cancelled.',
      examples: {
        bad: {
          'bridge.py':
            'import asyncio\n\n\ndef run_sync(coro, loop):\n    return asyncio.run_coroutine_threadsafe(coro, loop).result()\n',
        },
        good: {
          'bridge.py':
            'import asyncio\nimport concurrent.futures\n\n\ndef run_sync(coro, loop, timeout=5.0):\n    future = asyncio.run_coroutine_threadsafe(coro, loop)\n    try:\n        return future.result(timeout=timeout)\n    except concurrent.futures.TimeoutError:\n        future.cancel()\n        raise\n',
        },
      },
      fixSafety: 'Unsafe: the fix passes `timeout=10` to `.result()`, so a coroutine slower than 10 seconds now raises `TimeoutError` in the caller instead of blocking it.',
      useInstead: '`future.result(timeout=...)`, cancelling the future when it times out.',
    },
  },
  check(model, context) {
    for (const call of productionCalls(model)) {
      if (call.method !== 'result' || call.args.length > 0) continue;
      if (!isThreadsafeFuture(model, call)) continue;

      const closing = call.node.endIndex - 1;
      context.report({
        messageId: 'noTimeout',
        data: { call: shorten(call.node.text) },
        location: call.location,
        fix: { title: 'Wait at most 10 seconds', safety: 'unsafe', edits: [{ file: call.module.file.relPath, start: closing, end: closing, text: 'timeout=10' }] },
      });
    }
  },
});

function isThreadsafeFuture(model: SystemModel, call: PythonCall): boolean {
  const receiver = call.node.childForFieldName('function')?.childForFieldName('object');
  if (!receiver) return false;

  const value = model.python.valueOf(call.module, receiver);
  if (value.kind === 'call') return THREADSAFE.test(value.callee);
  return false;
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 70 ? `${flat.slice(0, 67)}...` : flat;
}
