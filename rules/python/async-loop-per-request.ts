import { productionCalls } from '../../src/model/flask-queries';
import { bridgeCallFix } from '../../src/fix/generated-modules';
import { defineRule } from '../../src/rule';

export default defineRule({
  meta: {
    id: 'async-loop-per-request',
    area: 'python',
    description: '`asyncio.run()` builds a new event loop on every call',
    severity: 'info',
    fixable: 'unsafe',
    messages: {
      perCall: '`asyncio.run()` in `{{scope}}` creates and closes an event loop on every call, which is slow and breaks async clients shared between calls.',
    },
    docs: {
      whatItDoes: 'Reports `asyncio.run(...)` inside functions (request paths), outside `if __name__ == "__main__":`.',
      whyItMatters:
        'It works, but each call builds a loop, runs the coroutine and closes the loop. Async clients and connection pools bound to an earlier loop then fail with "attached to a different loop" or "Event loop is closed", and the setup cost is paid on every request.',
      examples: {
        bad: {
          'views.py': 'import asyncio\n\n\ndef status(store):\n    return asyncio.run(store.status())\n',
        },
        good: {
          'views.py':
            'import asyncio\n\nfrom bridge import loop\n\n\ndef status(store):\n    return asyncio.run_coroutine_threadsafe(store.status(), loop).result(timeout=5)\n',
        },
      },
      fixSafety:
        'Unsafe: the fix replaces `asyncio.run(...)` with `run_sync(...)` from a generated `async_bridge` module (created next to the calling module when the system has none), which runs the coroutine on one event loop thread per worker process and waits for it with a timeout (`ASYNC_BRIDGE_TIMEOUT`, 10 s by default). The call now really runs, which is the point, but its side effects and its time now count.',
      useInstead: 'Start one event loop thread per worker process and submit coroutines to it with `asyncio.run_coroutine_threadsafe(...).result(timeout=...)`.',
    },
  },
  check(model, context) {
    for (const call of productionCalls(model)) {
      if (call.callee !== 'asyncio.run' || !call.scope || call.underMainGuard) continue;
      if (call.scope.name === 'main' && !call.scope.parent) continue;

      const argument = call.args[0];
      const fix = argument && argument.name === null
        ? bridgeCallFix(model, call.module, call.node.startIndex, call.node.endIndex, argument.node.text, 'Use the per-process loop through `run_sync`')
        : undefined;
      context.report({ messageId: 'perCall', data: { scope: call.scope.name }, location: call.location, fix });
    }
  },
});
