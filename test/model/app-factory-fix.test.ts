import { allRules } from '../../rules';
import { checkSystem } from '../../src/engine';
import type { Fix } from '../../src/rule';
import { systemFromMemory } from '../../src/system';

const RULE = allRules.filter((rule) => rule.meta.id === 'flask-app-factory-missing');

/** Returns the fix of the one `flask-app-factory-missing` finding of `main.py`, or undefined when it has none. */
function factoryFixOf(source: string): Fix | undefined {
  const { findings } = checkSystem(systemFromMemory({ 'main.py': source }), { rules: RULE });
  expect(findings.map((finding) => finding.ruleId)).toEqual(['flask-app-factory-missing']);
  return findings[0].fix;
}

/** Returns the text of the `create_app()` factory that the fix writes. */
function factoryText(fix: Fix | undefined): string {
  const factory = fix?.edits.find((edit) => edit.text.startsWith('def create_app():'));
  expect(factory).toBeDefined();
  return factory!.text;
}

describe('app factory fix: statements that use the app', () => {
  test('name in a string stays', () => {
    const fix = factoryFixOf('from flask import Flask\napp = Flask(__name__)\nprint("app")\n');

    expect(factoryText(fix)).not.toContain('print');
    expect(fix!.edits).toHaveLength(1);
  });

  test('name in a comment stays', () => {
    const fix = factoryFixOf('from flask import Flask\napp = Flask(__name__)\nlimit = 3  # app\n');

    expect(factoryText(fix)).not.toContain('limit');
  });

  test('longer identifier stays', () => {
    const fix = factoryFixOf('from flask import Flask\napp = Flask(__name__)\napps = [1]\nmyapp_name = "x"\n');

    expect(factoryText(fix)).not.toContain('apps');
    expect(factoryText(fix)).not.toContain('myapp_name');
  });

  test('identifier after a string mention moves', () => {
    const fix = factoryFixOf('from flask import Flask\napp = Flask(__name__)\nprint("app", app.name)\n');

    expect(factoryText(fix)).toContain('print("app", app.name)');
  });

  test('name inside an f-string moves', () => {
    const fix = factoryFixOf('from flask import Flask\napp = Flask(__name__)\nlabel = f"{app.name}"\n');

    expect(factoryText(fix)).toContain('label = f"{app.name}"');
  });

  test('multi-line docstring of a view allowed', () => {
    const fix = factoryFixOf('from flask import Flask\napp = Flask(__name__)\n@app.get("/")\ndef index():\n    """Lists.\n\n    More.\n    """\n    return "x"\n');

    expect(factoryText(fix)).toContain('def index():');
  });

  test('multi-line string moved gives no fix', () => {
    const fix = factoryFixOf('from flask import Flask\napp = Flask(__name__)\n@app.get("/")\ndef index():\n    return """a\nb"""\n');

    expect(fix).toBeUndefined();
  });

  test('string continued by backslash gives no fix', () => {
    const fix = factoryFixOf('from flask import Flask\napp = Flask(__name__)\napp.config["X"] = "a\\\nb"\n');

    expect(fix).toBeUndefined();
  });

  test('multi-line string that stays allowed', () => {
    const fix = factoryFixOf('from flask import Flask\napp = Flask(__name__)\nQUERY = """\nselect 1\n"""\n');

    expect(factoryText(fix)).not.toContain('QUERY');
  });
});
