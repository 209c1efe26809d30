import { buildPythonModel } from '../../src/model/python';
import { createSourceFile } from '../../src/source';

/** Returns the dotted names the callees of `main.py`'s calls resolve to, in source order. */
function callees(text: string): string[] {
  return buildPythonModel([createSourceFile('main.py', 'python', text)]).calls.map((call) => call.callee);
}

describe('python model attribute names', () => {
  test('spaces around the dot', () => {
    expect(callees('import flask\napp = flask . Flask(__name__)\n')).toEqual(['flask.Flask']);
  });

  test('line break inside brackets', () => {
    expect(callees('import flask\napp = (flask\n    .Flask)(__name__)\n')).toEqual(['flask.Flask']);
  });

  test('comment before the dot', () => {
    expect(callees('import flask\napp = (flask  # the module\n    .Flask)(__name__)\n')).toEqual(['flask.Flask']);
  });

  test('backslash continuation', () => {
    expect(callees('import flask\napp = flask.\\\n    Flask(__name__)\n')).toEqual(['flask.Flask']);
  });

  test('digits and underscores', () => {
    expect(callees('import os\nos.path.join_2x_("a")\n')).toEqual(['os.path.join_2x_']);
  });

  test('non-ASCII name', () => {
    expect(callees('import data\ndata.café_naïve(1)\n')).toEqual(['data.café_naïve']);
  });

  test('non-ASCII object', () => {
    expect(callees('import données\ndonnées.load(1)\n')).toEqual(['données.load']);
  });

  test('route decorator with spaces', () => {
    const model = buildPythonModel([
      createSourceFile('main.py', 'python', 'from flask import Flask\napp = Flask(__name__)\n\n@app .get("/health")\ndef health():\n    return "ok"\n'),
    ]);

    expect(model.routes.map((route) => route.path)).toEqual(['/health']);
  });

  test.each([
    ['x.1y()', 'x.y'],
    ['x.1e2z()', 'x.z'],
  ])('number before the name: %s', (call, callee) => {
    // Syntax errors: tree-sitter reads a number that ends where the name starts.
    expect(callees(`import x\n${call}\n`)).toEqual([callee]);
  });

  test('missing name after a dot', () => {
    // tree-sitter inserts an empty identifier after the dot, so the name is empty.
    expect(callees('import flask\napp = flask.(__name__)\n')).toEqual(['flask.']);
  });
});
