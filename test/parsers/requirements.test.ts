import {
  compareVersions,
  normalizeName,
  parseRequirementsFile,
  parseRequirementText,
  specifierAllowsOnlyOlder,
  urlReference,
  validateMarker,
} from '../../src/parsers/requirements';
import { createSourceFile, positionAt, type Location } from '../../src/source';

function parse(text: string, relPath = 'requirements.txt') {
  return parseRequirementsFile(createSourceFile(relPath, 'requirements', text));
}

/** Returns the text a location covers and its 1-based line and column. */
function located(location: Location) {
  const { line, column } = positionAt(location.file, location.start);
  return { text: location.file.text.slice(location.start, location.end), line, column };
}

describe('requirements lines', () => {
  test('names, pins and locations', () => {
    const parsed = parse('flask==3.0.3\n  Flask_Cors == 4.0.0  # cors\nrequests>=2.31,<3\n');

    expect(parsed.problems).toEqual([]);
    expect(parsed.requirements.map((r) => r.name)).toEqual(['flask', 'flask-cors', 'requests']);
    expect(parsed.requirements.map((r) => r.pinnedVersion)).toEqual(['3.0.3', '4.0.0', null]);
    expect(parsed.requirements[1].rawName).toBe('Flask_Cors');
    expect(parsed.requirements[1].specifier).toBe('== 4.0.0');
    expect(located(parsed.requirements[1].location)).toEqual({ text: 'Flask_Cors', line: 2, column: 3 });
    expect(parsed.requirements[2].specifier).toBe('>=2.31,<3');
  });

  test('comments need a space before #', () => {
    const parsed = parse('# a comment\nflask==3.0.3 # pinned\npkg @ https://example.com/pkg-1.0.tar.gz#sha256=abc\n   # indented comment\n');

    expect(parsed.requirements.map((r) => r.name)).toEqual(['flask', 'pkg']);
    expect(parsed.requirements[1].url).toBe('https://example.com/pkg-1.0.tar.gz#sha256=abc');
  });

  test('continuation joins lines', () => {
    const parsed = parse('flask\\\n==3.0.3\n');

    expect(parsed.requirements).toHaveLength(1);
    expect(parsed.requirements[0].pinnedVersion).toBe('3.0.3');
  });

  test('comment line ends a continuation', () => {
    const parsed = parse('gunicorn==22.0.0 \\\n    # pinned for the factory target\nrequests==2.31.0\n');

    expect(parsed.requirements.map((r) => r.name)).toEqual(['gunicorn', 'requests']);
    expect(parsed.problems).toEqual([]);
  });

  test('comment ending in backslash is not continued', () => {
    const parsed = parse('# install flask \\\nflask==3.0.3\n');

    expect(parsed.requirements.map((r) => r.name)).toEqual(['flask']);
    expect(located(parsed.requirements[0].location)).toEqual({ text: 'flask', line: 2, column: 1 });
  });

  test('hashes on continuation lines', () => {
    const parsed = parse('pyyaml==6.0.1 \\\n    --hash=sha256:aaa \\\n    --hash sha256:bbb\nflask==3.0.3\n');

    expect(parsed.requirements[0].hashes).toEqual(['sha256:aaa', 'sha256:bbb']);
    expect(parsed.requirements[1].hashes).toEqual([]);
  });

  test('extras and markers', () => {
    const parsed = parse('Flask[async, dotenv] >= 3.0 ; python_version >= "3.9" and sys_platform != "win32"\n');
    const [requirement] = parsed.requirements;

    expect(requirement.extras).toEqual(['async', 'dotenv']);
    expect(requirement.specifier).toBe('>= 3.0');
    expect(requirement.marker).toBe('python_version >= "3.9" and sys_platform != "win32"');
  });

  test('wildcard is not a pin', () => {
    const parsed = parse('flask==3.*\nlegacy===1.0-custom\n');

    expect(parsed.requirements[0].pinnedVersion).toBeNull();
    expect(parsed.requirements[1].pinnedVersion).toBe('1.0-custom');
  });

  test('includes with both option forms', () => {
    const parsed = parse('-r base.txt\n--requirement=more.txt\n-c constraints.txt\n--constraint other.txt\n-rshort.txt\n');

    expect(parsed.includes.map((include) => [include.kind, include.path])).toEqual([
      ['requirement', 'base.txt'],
      ['requirement', 'more.txt'],
      ['constraint', 'constraints.txt'],
      ['constraint', 'other.txt'],
      ['requirement', 'short.txt'],
    ]);
    expect(located(parsed.includes[1].location)).toEqual({ text: 'more.txt', line: 2, column: 15 });
  });

  test('other options ignored', () => {
    const parsed = parse('--index-url https://pypi.org/simple\n-i https://mirror/simple\n--extra-index-url https://x\n--find-links ./wheels\n--pre\n--no-binary :all:\n--only-binary=:all:\n--prefer-binary\n--require-hashes\n--trusted-host x\nflask==3.0.3\n');

    expect(parsed.problems).toEqual([]);
    expect(parsed.requirements.map((r) => r.name)).toEqual(['flask']);
  });

  test('editable VCS requirement', () => {
    const parsed = parse('-e git+https://github.com/org/lib.git@0123456789abcdef0123456789abcdef01234567#egg=Lib_Name\n-e .\n');
    const [requirement] = parsed.requirements;

    expect(parsed.requirements).toHaveLength(1);
    expect(requirement.name).toBe('lib-name');
    expect(requirement.editable).toBe(true);
    expect(located(requirement.location).text).toBe('Lib_Name');
  });

  test('direct references', () => {
    const parsed = parse(
      'name @ https://example.com/name-1.0.tar.gz ; os_name == "posix"\n./wheels/foo_bar-2.0-py3-none-any.whl\nhttps://example.com/pkg-3.1.zip\ngit+https://github.com/pallets/flask.git@main\n',
    );

    expect(parsed.problems).toEqual([]);
    expect(parsed.requirements.map((r) => [r.name, r.pinnedVersion])).toEqual([
      ['name', '1.0'],
      ['foo-bar', '2.0'],
      ['pkg', '3.1'],
      ['flask', null],
    ]);
    expect(parsed.requirements[0].marker).toBe('os_name == "posix"');
  });

  test('invalid lines become problems', () => {
    const parsed = parse('flask==\n--frobnicate\nok==1.0\nbad name here\nx==2.x\n-r\n');

    expect(parsed.requirements.map((r) => r.name)).toEqual(['ok']);
    expect(parsed.problems.map((problem) => located(problem.location).line)).toEqual([1, 2, 4, 5, 6]);
    expect(parsed.problems[0].message).toBe('Invalid requirement `flask==`: expected a version after `==`.');
    expect(parsed.problems[1].message).toContain('Unknown option `--frobnicate`');
  });

  test('option prefixes as optparse reads them', () => {
    const parsed = parse('--requirem base.txt\n--pr\n');

    expect(parsed.includes.map((include) => include.path)).toEqual(['base.txt']);
    expect(parsed.problems.map((problem) => problem.message)).toEqual([
      'Option `--pr` is ambiguous in a requirements file (`--prefer-binary`, `--pre`); pip stops on it.',
    ]);
  });

  test('CRLF and UTF-16 offsets', () => {
    const file = createSourceFile('requirements.txt', 'requirements', 'flask==3.0.3\r\n\r\n  gunicorn==22.0.0\r\n', 'utf16le', true);
    const parsed = parseRequirementsFile(file);

    expect(located(parsed.requirements[1].location)).toEqual({ text: 'gunicorn', line: 3, column: 3 });
  });

  test('empty and blank files', () => {
    expect(parse('').requirements).toEqual([]);
    expect(parse('\n\n   \n\\').problems).toEqual([]);
  });
});

describe('requirement strings', () => {
  test.each([
    ['flask', 'flask', ''],
    ['flask (>=2.0)', 'flask', '>=2.0'],
    ['zope.interface~=6.0', 'zope.interface', '~=6.0'],
    ['pkg[extra]@https://x/pkg.zip', 'pkg', ''],
  ])('%s', (text, name, specifier) => {
    const parsed = parseRequirementText(text);
    if (!parsed.ok) throw new Error(`Expected \`${text}\` to parse: ${parsed.message}`);

    expect(parsed.value.name).toBe(name);
    expect(parsed.value.specifier).toBe(specifier);
  });

  test.each(['flask>=', 'flask==1.0)', 'flask ~= 1', 'flask[a', 'flask; nonsense', 'flask >=1.*'])('rejects %s', (text) => {
    expect(parseRequirementText(text).ok).toBe(false);
  });

  test('markers', () => {
    expect(validateMarker('python_version < "3.8"')).toBeNull();
    expect(validateMarker('(os_name == "nt" or os_name == "posix") and extra == "test"')).toBeNull();
    expect(validateMarker('"linux" in sys_platform')).toBeNull();
    expect(validateMarker('python_version <')).not.toBeNull();
    expect(validateMarker('unknown_var == "1"')).not.toBeNull();
  });
});

describe('names and versions', () => {
  test('PEP 503 normalisation', () => {
    expect(normalizeName('Flask_Cors')).toBe('flask-cors');
    expect(normalizeName('zope.interface')).toBe('zope-interface');
    expect(normalizeName('A__B--C')).toBe('a-b-c');
  });

  test('version order', () => {
    expect(compareVersions('19.9.0', '20.0.1')).toBeLessThan(0);
    expect(compareVersions('20.0.1', '20.0.1')).toBe(0);
    expect(compareVersions('20.0', '20.0.0')).toBe(0);
    expect(compareVersions('20.0.1rc1', '20.0.1')).toBeLessThan(0);
    expect(compareVersions('20.0.1.dev0', '20.0.1a1')).toBeLessThan(0);
    expect(compareVersions('20.0.1.post1', '20.0.1')).toBeGreaterThan(0);
    expect(compareVersions('1!1.0', '2.0')).toBeGreaterThan(0);
    expect(compareVersions('not-a-version', '1.0')).toBeNull();
  });

  test.each([
    ['==19.9.0', true],
    ['<20', true],
    ['<=20.0.0', true],
    ['~=19.9', true],
    ['==19.*', true],
    ['>=19,<20.0.1', true],
    ['==20.0.1', false],
    ['<=20.0.1', false],
    ['>=19', false],
    ['', false],
    ['~=20.0', false],
  ])('only older than 20.0.1: %s', (specifier, expected) => {
    expect(specifierAllowsOnlyOlder(specifier, '20.0.1')).toBe(expected);
  });

  test('URL references', () => {
    expect(urlReference('git+https://github.com/o/r.git@0123456789abcdef0123456789abcdef01234567')).toEqual({
      commit: '0123456789abcdef0123456789abcdef01234567',
      version: null,
      hash: false,
    });
    expect(urlReference('git+https://github.com/o/r.git@v1.2.3#egg=r').version).toBe('1.2.3');
    expect(urlReference('git+ssh://git@github.com/o/r.git@main')).toEqual({ commit: null, version: null, hash: false });
    expect(urlReference('https://x/r.tar.gz#sha256=abcdef').hash).toBe(true);
  });
});
