import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectModuleFacts } from '../../src/model/python-modules';
import { buildPythonModel } from '../../src/model/python';
import { callArguments, evaluate, pythonQuery } from '../../src/parsers/python';
import { createSourceFile, type SourceFile } from '../../src/source';
import { dedent } from '../helpers';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');

function pythonFile(relPath: string, text: string): SourceFile {
  return createSourceFile(relPath, 'python', dedent(text));
}

function fixturePythonFiles(): SourceFile[] {
  return fs
    .readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((relPath) => relPath.endsWith('.py'))
    .sort()
    .map((relPath) => createSourceFile(relPath, 'python', fs.readFileSync(path.join(FIXTURES, relPath), 'utf8')));
}

describe('python module facts', () => {
  test('calls in query capture order', () => {
    const files = [
      ...fixturePythonFiles(),
      pythonFile('nested.py', `
        x = f()()
        a().b(c(d()))
        @route(e())
        def g():
            return h(i())
      `),
    ];
    expect(files.length).toBeGreaterThan(10);

    for (const file of files) {
      const facts = collectModuleFacts(file);
      const captured = pythonQuery('(call) @call').captures(facts.module.tree.rootNode);
      expect({ file: file.relPath, calls: facts.calls.map((node) => [node.startIndex, node.endIndex]) }).toEqual({
        file: file.relPath,
        calls: captured.map(({ node }) => [node.startIndex, node.endIndex]),
      });
    }
  });

  test('async functions and methods', () => {
    const facts = collectModuleFacts(
      pythonFile('app.py', `
        async def fetch():
            pass

        def plain():
            pass

        class Store:
            async def load(self):
                def inner():
                    pass

            if True:
                def conditional():
                    pass
      `),
    );
    const byName = new Map(facts.module.functions.map((fn) => [fn.name, fn]));

    expect(byName.get('fetch')?.isAsync).toBe(true);
    expect(byName.get('plain')?.isAsync).toBe(false);
    expect(byName.get('load')?.isAsync).toBe(true);
    expect(byName.get('load')?.qualifiedName).toBe('Store.load');
    expect(byName.get('inner')?.className).toBeNull();
    expect(byName.get('conditional')?.className).toBeNull();
  });

  test('class attributes are not module names', () => {
    const facts = collectModuleFacts(
      pythonFile('config.py', `
        class Config:
            DEBUG = False

        LEVEL = "info"
      `),
    );

    expect([...facts.module.topLevelNames.keys()]).toEqual(['LEVEL']);
    expect(facts.classes.get('Config')?.attributes.has('DEBUG')).toBe(true);
    expect(facts.scopes.get(null)?.has('DEBUG')).toBe(false);
  });

  test('main guard needs a comparison', () => {
    const guarded = collectModuleFacts(pythonFile('main.py', 'if __name__ == "__main__":\n    run()\n'));
    const truthy = collectModuleFacts(pythonFile('main.py', 'if "__main__":\n    run()\n'));
    const reversed = collectModuleFacts(pythonFile('main.py', 'if "__main__" == __name__:\n    run()\n'));

    expect(guarded.module.mainGuards).toHaveLength(1);
    expect(truthy.module.mainGuards).toHaveLength(0);
    expect(reversed.module.mainGuards).toHaveLength(1);
  });
});

describe('python string values', () => {
  const cases: Array<[string, string | null]> = [
    ['"abc"', 'abc'],
    ["'a b'", 'a b'],
    ['f"plain"', 'plain'],
    ['u"x"', 'x'],
    ['""', ''],
    ['"{x}"', '{x}'],
    ['"a\\tb"', 'a\tb'],
    ['r"a\\tb"', 'a\\tb'],
    ['"""doc"""', 'doc'],
    ['"it\'s"', "it's"],
    ['rb"x"', null],
    ['f"{name}"', null],
  ];

  test.each(cases)('value of %s', (literal, expected) => {
    const file = pythonFile('main.py', `value = ${literal}\n`);
    const [assignment] = buildPythonModel([file]).assignments;
    const value = evaluate(assignment.value, file);

    if (expected === null) {
      expect(value.kind).toBe('unknown');
    } else {
      expect(value).toEqual({ kind: 'literal', value: expected });
    }
  });
});

describe('python model calls', () => {
  test('arguments match callArguments', () => {
    const file = pythonFile('main.py', `
      import os
      from flask import Flask

      app = Flask(__name__)
      app.config.update(
          DEBUG=os.environ.get("DEBUG", "0") == "1",  # comment
          *extra,
          **more,
      )
      app.run("0.0.0.0", port=int("8080"), debug=[True, {"a": 1}])
    `);
    const model = buildPythonModel([file]);
    expect(model.calls.length).toBeGreaterThan(4);

    for (const call of model.calls) {
      expect(call.args).toEqual(callArguments(call.node, file));
    }
    const update = model.calls.find((call) => call.method === 'update');
    expect(update?.receiver).toBe('app.config');
    expect(update?.args.map((arg) => arg.name)).toEqual(['DEBUG']);
  });

  test('function is not its own scope', () => {
    const model = buildPythonModel([
      pythonFile('main.py', `
        def outer():
            def inner():
                pass
      `),
    ]);
    const [outer, inner] = model.modules[0].functions;

    expect(inner.parent).toBe(outer);
    expect(model.functionAt(model.modules[0], inner.node)).toBe(outer);
    expect(model.functionAt(model.modules[0], outer.node)).toBeNull();
  });

  test('app passed through two helpers', () => {
    const model = buildPythonModel([
      pythonFile('main.py', `
        from flask import Flask

        def add_routes(target):
            @target.get("/health")
            def health():
                return "ok"

        def register(application):
            add_routes(application)

        def create_app():
            app = Flask(__name__)
            register(app)
            return app
      `),
    ]);

    expect(model.routes.map((route) => [route.path, route.app?.variable])).toEqual([['/health', 'app']]);
  });

  test('route methods from decorator', () => {
    const model = buildPythonModel([
      pythonFile('main.py', `
        from flask import Flask
        app = Flask(__name__)

        @app.route("/items", methods=["get", "POST"])
        def items():
            return "ok"

        @app.post("/orders")
        def orders():
            return "ok"
      `),
    ]);

    expect(model.routes.map((route) => [route.path, route.methods])).toEqual([
      ['/items', ['GET', 'POST']],
      ['/orders', ['POST']],
    ]);
  });
});
