import { dedent, ruleFindings } from '../helpers';

const STORE = dedent(`
  import asyncio

  class Store:
      async def query(self, key):
          return key

      async def health(self):
          return True

      def sync_health(self, loop):
          future = asyncio.run_coroutine_threadsafe(self.health(), loop)
          return future.result(timeout=5)
`);

function positions(rule: string, main: string, extra: Record<string, string> = {}) {
  return ruleFindings(rule, { 'store.py': STORE, 'main.py': dedent(main), ...extra }).map(({ line, column, severity }) => `${line}:${column}:${severity}`);
}

describe('async-call-without-bridge', () => {
  const RULE = 'async-call-without-bridge';
  const HEADER = 'from flask import Flask, jsonify\nfrom store import Store\nstore = Store()\napp = Flask(__name__)\n';

  test.each([
    ['tested', 'def ready():\n    if store.health():\n        return "ok"\n', '6:8'],
    ['returned', 'def item():\n    return store.query(1)\n', '6:12'],
    ['discarded', 'def save():\n    store.query(2)\n', '6:5'],
    ['passed to jsonify', 'def items():\n    return jsonify(store.query(3))\n', '6:20'],
    ['stored', 'def items():\n    result = store.query(3)\n    return jsonify(result)\n', '6:14'],
    ['not operator', 'def down():\n    return not store.health()\n', '6:16'],
  ])('reports %s', (_name, body, position) => {
    expect(positions(RULE, `${HEADER}${body}`)).toEqual([`${position}:error`]);
  });

  test.each([
    ['asyncio.run', 'import asyncio\ndef item():\n    return asyncio.run(store.query(1))\n'],
    ['threadsafe bridge', 'import asyncio\nloop = asyncio.new_event_loop()\ndef item():\n    return asyncio.run_coroutine_threadsafe(store.query(1), loop).result(timeout=2)\n'],
    ['bridge helper', 'import asyncio\ndef run_sync(coro):\n    return asyncio.run(coro)\ndef item():\n    return run_sync(store.query(1))\n'],
    ['stored then bridged', 'import asyncio\ndef item():\n    coro = store.query(1)\n    return asyncio.run(coro)\n'],
    ['awaited in async view', 'async def item():\n    return await store.query(1)\n'],
    ['sync wrapper', 'def ready():\n    return store.sync_health(None)\n'],
    ['unknown consumer', 'def item():\n    return schedule(store.query(1))\n'],
  ])('silent for %s', (_name, body) => {
    expect(positions(RULE, `${HEADER}${body}`)).toEqual([]);
  });

  test('self method in class', () => {
    const source = 'class Service:\n    async def fetch(self):\n        return 1\n    def check(self):\n        return self.fetch()\n';
    expect(ruleFindings(RULE, { 'service.py': source }).map(({ line, column }) => `${line}:${column}`)).toEqual(['5:16']);
  });
});

describe('async-bridge-without-timeout', () => {
  const RULE = 'async-bridge-without-timeout';

  test('direct result', () => {
    expect(positions(RULE, 'import asyncio\ndef run(coro, loop):\n    return asyncio.run_coroutine_threadsafe(coro, loop).result()\n')).toEqual(['3:12:warning']);
  });

  test('through variable', () => {
    expect(positions(RULE, 'import asyncio\ndef run(coro, loop):\n    future = asyncio.run_coroutine_threadsafe(coro, loop)\n    return future.result()\n')).toEqual([
      '4:12:warning',
    ]);
  });

  test('silent with timeout', () => {
    expect(positions(RULE, 'import asyncio\ndef run(coro, loop):\n    return asyncio.run_coroutine_threadsafe(coro, loop).result(5)\n')).toEqual([]);
  });

  test('silent for other futures', () => {
    expect(positions(RULE, 'def run(pool, job):\n    return pool.submit(job).result()\n')).toEqual([]);
  });
});

describe('async-loop-per-request', () => {
  const RULE = 'async-loop-per-request';

  test('inside function', () => {
    expect(positions(RULE, 'import asyncio\ndef view(store):\n    return asyncio.run(store.query(1))\n')).toEqual(['3:12:info']);
  });

  test.each([
    ['module level', 'import asyncio\nasync def main():\n    pass\nasyncio.run(main())\n'],
    ['main guard', 'import asyncio\nasync def main():\n    pass\nif __name__ == "__main__":\n    asyncio.run(main())\n'],
    ['main function', 'import asyncio\nasync def serve():\n    pass\ndef main():\n    asyncio.run(serve())\n'],
  ])('silent at %s', (_name, source) => {
    expect(positions(RULE, source)).toEqual([]);
  });
});

describe('async-run-until-complete-threaded', () => {
  const RULE = 'async-run-until-complete-threaded';
  const VIEW = 'import asyncio\ndef view(store):\n    return asyncio.get_event_loop().run_until_complete(store.query(1))\n';
  const OWN_LOOP = 'import asyncio\ndef view(store):\n    loop = asyncio.new_event_loop()\n    return loop.run_until_complete(store.query(1))\n';

  test('gthread current loop is error', () => {
    expect(positions(RULE, VIEW, { 'gunicorn.conf.py': 'worker_class = "gthread"\n' })).toEqual(['3:12:error']);
  });

  test('threads setting own loop is warning', () => {
    expect(positions(RULE, OWN_LOOP, { 'gunicorn.conf.py': 'threads = 4\n' })).toEqual(['4:12:warning']);
  });

  test('silent under sync workers', () => {
    expect(positions(RULE, VIEW, { 'gunicorn.conf.py': 'worker_class = "sync"\n' })).toEqual([]);
  });
});

describe('async-loop-thread-preloaded', () => {
  const RULE = 'async-loop-thread-preloaded';
  const EAGER = 'import asyncio\nimport threading\nloop = asyncio.new_event_loop()\nthreading.Thread(target=loop.run_forever, daemon=True).start()\n';

  test('preloaded eager loop', () => {
    expect(positions(RULE, EAGER, { 'gunicorn.conf.py': 'preload_app = True\n' })).toEqual(['3:8:error', '4:1:error']);
  });

  test('helper called at import', () => {
    const source = 'import asyncio\nimport threading\ndef start():\n    threading.Thread(target=print).start()\nstart()\n';
    expect(positions(RULE, source, { 'gunicorn.conf.py': 'preload_app = True\n' })).toEqual(['5:1:error']);
  });

  test('silent without preload', () => {
    expect(positions(RULE, EAGER, { 'gunicorn.conf.py': 'workers = 2\n' })).toEqual([]);
  });

  test('silent for lazy start', () => {
    const source = 'import asyncio\nimport threading\n_loop = None\ndef get_loop():\n    global _loop\n    if _loop is None:\n        _loop = asyncio.new_event_loop()\n    return _loop\nget_loop()\n';
    expect(positions(RULE, source, { 'gunicorn.conf.py': 'preload_app = True\n' })).toEqual([]);
  });
});

describe('python-global-mutation-unlocked', () => {
  const RULE = 'python-global-mutation-unlocked';

  test.each([
    ['global counter', 'hits = 0\ndef view():\n    global hits\n    hits += 1\n', '4:5'],
    ['module dict item', 'stats = {"hits": 0}\ndef view():\n    stats["hits"] += 1\n', '3:5'],
  ])('reports %s', (_name, source, position) => {
    expect(positions(RULE, source).map((entry) => entry.replace(/:warning$/, ''))).toEqual([position]);
  });

  test.each([
    ['locked', 'import threading\nhits = 0\nlock = threading.Lock()\ndef view():\n    global hits\n    with lock:\n        hits += 1\n'],
    ['local variable', 'def view():\n    hits = 0\n    hits += 1\n    return hits\n'],
    ['module level', 'hits = 0\nhits += 1\n'],
    ['parameter', 'stats = {}\ndef view(stats):\n    stats["x"] += 1\n'],
    ['no global statement', 'hits = 0\ndef view():\n    hits = 1\n    hits += 1\n'],
  ])('silent for %s', (_name, source) => {
    expect(positions(RULE, source)).toEqual([]);
  });
});
