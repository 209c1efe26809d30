import { productionCalls } from '../../src/model/flask-queries';
import { defineRule } from '../../src/rule';

export default defineRule({
  meta: {
    id: 'async-loop-per-request',
    area: 'python',
    description: '`asyncio.run()` builds a new event loop on every call',
    severity: 'info',
    fixable: 'none',
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
      useInstead: 'Start one event loop thread per worker process and submit coroutines to it with `asyncio.run_coroutine_threadsafe(...).result(timeout=...)`.',
    },
  },
  check(model, context) {
    for (const call of productionCalls(model)) {
      if (call.callee !== 'asyncio.run' || !call.scope || call.underMainGuard) continue;
      if (call.scope.name === 'main' && !call.scope.parent) continue;

      context.report({ messageId: 'perCall', data: { scope: call.scope.name }, location: call.location });
    }
  },
});
