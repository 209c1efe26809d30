import { parsePyproject } from '../../src/parsers/pyproject';
import { createSourceFile, positionAt, type Location } from '../../src/source';

function parse(text: string) {
  return parsePyproject(createSourceFile('pyproject.toml', 'pyproject', text));
}

function located(location: Location) {
  const { line, column } = positionAt(location.file, location.start);
  return { text: location.file.text.slice(location.start, location.end), line, column };
}

describe('pyproject dependencies', () => {
  test('PEP 621 dependencies', () => {
    const parsed = parse(
      '[project]\nname = "orders"\ndependencies = [\n  "Flask[async]>=3.0",\n  \'gunicorn==22.0.0\',\n]\n\n[project.optional-dependencies]\ntest = ["pytest==8.2.0"]\n',
    );

    expect(parsed.declaresDependencies).toBe(true);
    expect(parsed.requirements.map((r) => [r.name, r.pinnedVersion, r.development])).toEqual([
      ['flask', null, false],
      ['gunicorn', '22.0.0', false],
      ['pytest', '8.2.0', true],
    ]);
    expect(parsed.requirements[0].extras).toEqual(['async']);
    expect(located(parsed.requirements[0].location)).toEqual({ text: 'Flask', line: 4, column: 4 });
    expect(located(parsed.requirements[2].location)).toEqual({ text: 'pytest', line: 9, column: 10 });
  });

  test('Poetry tables', () => {
    const parsed = parse(
      '[tool.poetry.dependencies]\npython = "^3.11"\nflask = "3.0.3"\n"gunicorn" = { version = "^22", extras = ["gevent"] }\nlib = { git = "https://github.com/o/lib.git", rev = "0123456" }\n\n[tool.poetry.group.dev.dependencies]\npytest = "*"\n',
    );

    expect(parsed.declaresDependencies).toBe(true);
    expect(parsed.requirements.map((r) => [r.name, r.pinnedVersion, r.development ?? false])).toEqual([
      ['flask', '3.0.3', false],
      ['gunicorn', null, false],
      ['lib', null, false],
      ['pytest', null, true],
    ]);
    expect(parsed.requirements[2].url).toBe('git+https://github.com/o/lib.git@0123456');
    expect(located(parsed.requirements[1].location)).toEqual({ text: 'gunicorn', line: 4, column: 2 });
  });

  test('no dependency tables', () => {
    const parsed = parse('[tool.ruff]\nline-length = 100\n');

    expect(parsed.declaresDependencies).toBe(false);
    expect(parsed.requirements).toEqual([]);
  });

  test('invalid TOML is a problem', () => {
    const parsed = parse('[project]\ndependencies = ["flask",\n  oops]\n');

    expect(parsed.requirements).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0].message).toMatch(/^pyproject\.toml is not valid TOML: /);
    expect(located(parsed.problems[0].location).line).toBe(3);
  });

  test('invalid dependency is a problem', () => {
    const parsed = parse('[project]\ndependencies = ["flask==", "gunicorn"]\n');

    expect(parsed.requirements.map((r) => r.name)).toEqual(['gunicorn']);
    expect(located(parsed.problems[0].location)).toEqual({ text: 'flask==', line: 2, column: 18 });
  });
});
