import { unbridgedAsyncCalls, type CoroutineUse } from '../../src/model/async-calls';
import { bridgeCallFix } from '../../src/fix/generated-modules';
import { defineRule } from '../../src/rule';

const USE_TEXT: Record<CoroutineUse, string> = {
  discarded: 'is discarded, so the call never runs',
  tested: 'is tested, and a coroutine object is always true, so the check always passes',
  returned: 'is returned, so the caller gets a coroutine object instead of the result',
  passed: 'is passed on as a value, so the receiver gets a coroutine object instead of the result',
  stored: 'is stored and never run',
};

export default defineRule({
  meta: {
    id: 'async-call-without-bridge',
    area: 'python',
    description: 'Synchronous code calls an `async def` without awaiting or bridging it',
    severity: 'error',
    fixable: 'unsafe',
    messages: {
      unbridged: '`{{call}}` calls `async def {{callee}}` from synchronous `{{scope}}`; the coroutine it returns {{use}}.',
    },
    docs: {
      whatItDoes:
        'Resolves calls across modules (`from store import Store`, `store = Store()`, `store.query()` where `query` is `async def` in `store.py`) and reports those made from synchronous functions, such as Flask views and health checks, that neither await the coroutine nor hand it to a bridge (`asyncio.run_coroutine_threadsafe(...)`, `loop.run_until_complete(...)`, `asyncio.run(...)`, or a helper of the system that calls one of these).',
      whyItMatters:
        'Calling an `async def` from synchronous code does not run it: it returns a coroutine object. Nothing happens, nothing is saved, and a health check that tests the result is always "healthy" because the object is true. Generated systems with async stores and sync Flask views fail this way silently.',
      examples: {
        bad: {
          'store.py': 'class Store:\n    async def healthy(self):\n        return True\n',
          'main.py':
            'from flask import Flask\n\nfrom store import Store\n\napp = Flask(__name__)\nstore = Store()\n\n\n@app.get("/ready")\ndef ready():\n    if store.healthy():\n        return {"status": "ready"}\n    return {"status": "unavailable"}, 503\n',
        },
        good: {
          'store.py': 'class Store:\n    async def healthy(self):\n        return True\n',
          'main.py':
            'import asyncio\n\nfrom flask import Flask\n\nfrom store import Store\n\napp = Flask(__name__)\nstore = Store()\n\n\n@app.get("/ready")\ndef ready():\n    if asyncio.run(store.healthy()):\n        return {"status": "ready"}\n    return {"status": "unavailable"}, 503\n',
        },
      },
      fixSafety:
        'Unsafe: the fix wraps the call in `run_sync(...)` from a generated `async_bridge` module (created next to the calling module when the system has none), which runs the coroutine on one event loop thread per worker process and waits for it with a timeout (`ASYNC_BRIDGE_TIMEOUT`, 10 s by default). The call now really runs, which is the point, but its side effects and its time now count.',
      useInstead:
        'Run the coroutine on a per-process event loop thread: `asyncio.run_coroutine_threadsafe(store.healthy(), loop).result(timeout=5)`, wrapped in a synchronous method of the store.',
      knownLimitations:
        'Coroutines passed to functions the rule does not know are assumed to be handled. Methods reached through attributes set outside `__init__` (`app.store = Store()`) are not resolved.',
    },
  },
  check(model, context) {
    for (const { call, callee, use } of unbridgedAsyncCalls(model)) {
      context.report({
        messageId: 'unbridged',
        data: { call: call.node.text.replace(/\s+/g, ' '), callee: callee.qualifiedName, scope: call.scope ? call.scope.name : 'module level', use: USE_TEXT[use] },
        location: call.location,
        fix: bridgeCallFix(model, call.module, call.node.startIndex, call.node.endIndex, call.node.text, 'Run the coroutine through `run_sync`'),
      });
    }
  },
});
