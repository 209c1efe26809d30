import productionPins from '../../data/production-pins.json';
import {
  addRequirementEdit,
  declarationTarget,
  nameStyle,
  newRequirementsContent,
  pinTable,
  replaceSpecifierEdit,
  specifierAllows,
  spellName,
} from '../../src/fix/requirements-edits';
import { applyEdits } from '../../src/fix/apply';
import { buildModel } from '../../src/model/build';
import type { Requirement } from '../../src/model/types';
import { compareVersions, normalizeName } from '../../src/parsers/requirements';
import { systemFromMemory } from '../../src/system';

function requirementsOf(text: string): Requirement[] {
  return buildModel(systemFromMemory({ 'requirements.txt': text })).requirements.requirements;
}

/** Adds a requirement to a requirements.txt with the given text and returns the new text, or null when no edit is offered. */
function added(text: string, name: string, version: string): string | null {
  const model = buildModel(systemFromMemory({ 'requirements.txt': text }));
  const file = model.requirements.files[0];
  const edit = addRequirementEdit(file, model.requirements.requirements, name, version);
  return edit && applyEdits(text, [edit], file.eol);
}

describe('production pins table', () => {
  const pins = Object.entries(productionPins.pins);

  test.each(pins)('%s pinned to a final release', (_name, version) => {
    expect(version).toMatch(/^\d+(\.\d+)*$/);
  });

  test('names unique after normalisation', () => {
    const names = pins.map(([name]) => normalizeName(name));
    expect(new Set(names).size).toBe(names.length);
  });

  test.each(['flask', 'gunicorn', 'prometheus-client', 'prometheus-flask-exporter', 'flask-cors', 'psycopg2', 'psycopg2-binary', 'psycopg', 'pyyaml', 'asgiref', 'werkzeug', 'requests', 'python-dotenv'])(
    '%s has a pin',
    (name) => {
      expect(pinTable({}).version(name)).not.toBeNull();
    },
  );

  test('gunicorn pin runs factory targets', () => {
    expect(compareVersions(pinTable({}).version('gunicorn')!, '20.0.1')).toBeGreaterThan(0);
  });
});

describe('pinTable', () => {
  test('lookup by any spelling', () => {
    const pins = pinTable({});
    expect(pins.version('pyyaml')).toBe('6.0.3');
    expect(pins.version('PyYAML')).toBe('6.0.3');
    expect(pins.spelling('pyyaml')).toBe('PyYAML');
  });

  test('unknown name', () => {
    const pins = pinTable({});
    expect(pins.version('not-a-known-package')).toBeNull();
    expect(pins.spelling('Not_Known')).toBe('Not_Known');
  });

  test('option overrides version, keeps spelling', () => {
    const pins = pinTable({ pins: { pyyaml: '6.0.1' } });
    expect(pins.version('PyYAML')).toBe('6.0.1');
    expect(pins.spelling('pyyaml')).toBe('PyYAML');
  });

  test('option adds names', () => {
    expect(pinTable({ pins: { 'My_Lib': '1.2.0' } }).version('my-lib')).toBe('1.2.0');
    expect(pinTable({ pins: { 'My_Lib': '1.2.0' } }).spelling('my-lib')).toBe('My_Lib');
  });

  test.each([
    ['not a version', { pins: { flask: 'latest' } }],
    ['a specifier', { pins: { flask: '>=3' } }],
    ['not a string', { pins: { flask: 3 } }],
    ['a list', { pins: ['flask==1.0'] }],
    ['no map', { pins: 'flask==1.0' }],
  ])('invalid option ignored: %s', (_name, options) => {
    expect(pinTable(options).version('flask')).toBe('3.1.3');
  });
});

describe('nameStyle', () => {
  test.each([
    ['no names', [], 'hyphens'],
    ['capitals', ['flask', 'PyYAML'], 'as-published'],
    ['hyphens', ['flask-cors', 'gunicorn'], 'hyphens'],
    ['underscores', ['flask_cors', 'gunicorn'], 'underscores'],
    ['both separators', ['flask_cors', 'prometheus-client'], 'lowercase'],
    ['no separators', ['flask', 'gunicorn'], 'lowercase'],
  ])('%s', (_name, names, style) => {
    expect(nameStyle(names)).toBe(style);
  });

  test.each([
    ['as-published', 'Flask-Cors'],
    ['lowercase', 'flask-cors'],
    ['hyphens', 'flask-cors'],
    ['underscores', 'flask_cors'],
  ] as const)('spellName %s', (style, spelled) => {
    expect(spellName('Flask-Cors', style)).toBe(spelled);
  });

  test('lowercase keeps dots', () => {
    expect(spellName('ruamel.yaml', 'lowercase')).toBe('ruamel.yaml');
    expect(spellName('ruamel.yaml', 'hyphens')).toBe('ruamel-yaml');
  });
});

describe('addRequirementEdit', () => {
  test.each([
    ['first in sorted file', 'flask==3.1.3\ngunicorn==27.0.1\n', 'asgiref', 'asgiref==3.13.0\nflask==3.1.3\ngunicorn==27.0.1\n'],
    ['middle of sorted file', 'flask==3.1.3\ngunicorn==27.0.1\n', 'flask-cors', 'flask==3.1.3\nflask-cors==3.13.0\ngunicorn==27.0.1\n'],
    ['last in sorted file', 'flask==3.1.3\ngunicorn==27.0.1\n', 'requests', 'flask==3.1.3\ngunicorn==27.0.1\nrequests==3.13.0\n'],
    ['unsorted file', 'gunicorn==27.0.1\nflask==3.1.3\n', 'asgiref', 'gunicorn==27.0.1\nflask==3.1.3\nasgiref==3.13.0\n'],
    ['sorted ignoring case', 'Flask==3.1.3\ngunicorn==27.0.1\nPyYAML==6.0.3\n', 'prometheus-client', 'Flask==3.1.3\ngunicorn==27.0.1\nprometheus-client==3.13.0\nPyYAML==6.0.3\n'],
    ['after pip-compile comments', 'flask==3.1.3\n    # via -r requirements.in\nrequests==2.34.2\n', 'gunicorn', 'flask==3.1.3\n    # via -r requirements.in\ngunicorn==3.13.0\nrequests==2.34.2\n'],
    ['before continued line', 'flask==3.1.3\nrequests \\\n  ==2.34.2\n', 'gunicorn', 'flask==3.1.3\ngunicorn==3.13.0\nrequests \\\n  ==2.34.2\n'],
    ['blank lines at end', 'gunicorn==27.0.1\nflask==3.1.3\n\n', 'asgiref', 'gunicorn==27.0.1\nflask==3.1.3\n\nasgiref==3.13.0\n'],
    ['only a comment', '# nothing yet\n', 'flask', '# nothing yet\nflask==3.13.0\n'],
    ['empty file', '', 'flask', 'flask==3.13.0\n'],
    ['no final newline', 'gunicorn', 'requests', 'gunicorn\nrequests==3.13.0\n'],
  ])('%s', (_name, text, name, expected) => {
    expect(added(text, name, '3.13.0')).toBe(expected);
  });

  test('CRLF file gets CRLF line', () => {
    expect(added('gunicorn==27.0.1\r\nflask==3.1.3\r\n', 'asgiref', '3.13.0')).toBe('gunicorn==27.0.1\r\nflask==3.1.3\r\nasgiref==3.13.0\r\n');
  });

  test.each([
    ['continued last line', 'gunicorn==27.0.1\nflask==3.1.3 \\'],
    ['continued last line with newline', 'gunicorn==27.0.1\nflask==3.1.3 \\\n'],
  ])('no edit: %s', (_name, text) => {
    expect(added(text, 'asgiref', '3.13.0')).toBeNull();
  });

  test('comment ending in backslash does not continue', () => {
    expect(added('gunicorn==27.0.1\nflask==3.1.3\n# see C:\\\n', 'asgiref', '3.13.0')).toBe('gunicorn==27.0.1\nflask==3.1.3\n# see C:\\\nasgiref==3.13.0\n');
  });
});

describe('newRequirementsContent', () => {
  test('sorted, normalised, once each', () => {
    const content = newRequirementsContent([
      { name: 'gunicorn', version: '27.0.1' },
      { name: 'PyYAML', version: '6.0.3' },
      { name: 'Flask', version: '3.1.3' },
      { name: 'flask', version: '3.0.0' },
    ]);
    expect(content).toBe('flask==3.1.3\ngunicorn==27.0.1\npyyaml==6.0.3\n');
  });
});

describe('replaceSpecifierEdit', () => {
  test('name split by continuation', () => {
    const [requirement] = requirementsOf('fla\\\nsk>=3\n');
    expect(requirement ? replaceSpecifierEdit(requirement, '==3.1.3') : null).toBeNull();
  });

  test('editable requirement', () => {
    const [requirement] = requirementsOf('-e git+https://github.com/org/lib.git@main#egg=lib\n');
    expect(replaceSpecifierEdit(requirement, '==1.0')).toBeNull();
  });

  test('extras list not closed on the line', () => {
    const [requirement] = requirementsOf('flask[async,\\\ndotenv]>=3\n');
    expect(replaceSpecifierEdit(requirement, '==3.1.3')).toBeNull();
  });
});

describe('specifierAllows', () => {
  test.each([
    ['', '3.1.3', true],
    ['>=2.3', '3.1.3', true],
    ['>=3.2', '3.1.3', false],
    ['>3.1.3', '3.1.3', false],
    ['<=3.1.3', '3.1.3', true],
    ['<4', '3.1.3', true],
    ['<3.1.3', '3.1.3', false],
    ['>=2.3,<4', '3.1.3', true],
    [' >= 2.3 , < 3 ', '3.1.3', false],
    ['!=3.1.3', '3.1.3', false],
    ['!=3.1.2', '3.1.3', true],
    ['!=3.0.*', '3.1.3', true],
    ['!=3.*', '3.1.3', false],
    ['==3.*', '3.1.3', true],
    ['==3.1.*', '3.1.3', true],
    ['==3.2.*', '3.1.3', false],
    ['==3.1', '3.1.0', true],
    ['~=3.0', '3.1.3', true],
    ['~=3.1.0', '3.1.3', true],
    ['~=3.2', '3.1.3', false],
    ['~=2.3', '3.1.3', false],
    ['~=3.1.4', '3.1.3', false],
    ['===3.1.3', '3.1.3', true],
  ])('`%s` with %s', (specifier, version, allowed) => {
    expect(specifierAllows(specifier, version)).toBe(allowed);
  });

  test.each([['>=x'], ['3.1'], ['>=1!2.0.*'], ['>=2;']])('unreadable `%s`', (specifier) => {
    expect(specifierAllows(specifier, '3.1.3')).toBeNull();
  });
});

describe('declarationTarget', () => {
  function target(files: Record<string, string>): string {
    const result = declarationTarget(buildModel(systemFromMemory(files)));
    return result.kind === 'file' ? result.file.relPath : result.kind;
  }

  test.each([
    ['root file', { 'requirements.txt': 'flask==3.1.3\n' }, 'requirements.txt'],
    ['empty root file', { 'requirements.txt': '' }, 'requirements.txt'],
    ['include only', { 'requirements.txt': '-r base.txt\n', 'base.txt': 'flask==3.1.3\n' }, 'base.txt'],
    ['include after constraints', { 'requirements.txt': '-c constraints.txt\n-r base.txt\n', 'constraints.txt': 'flask==3.1.3\n', 'base.txt': 'flask\n' }, 'base.txt'],
    ['development root besides', { 'requirements-dev.txt': 'pytest==9.2.0\n', 'requirements-prod.txt': 'flask==3.1.3\n' }, 'requirements-prod.txt'],
    ['nothing declared', { 'main.py': 'import flask\n' }, 'create'],
    ['pyproject', { 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["flask"]\n' }, 'none'],
    ['setup.py', { 'setup.py': 'from setuptools import setup\n' }, 'none'],
    ['development only', { 'requirements-dev.txt': 'pytest==9.2.0\n' }, 'none'],
    ['hash in an include', { 'requirements.txt': '-r lock.txt\n', 'lock.txt': 'flask==3.1.3 --hash=sha256:aa\n' }, 'none'],
  ])('%s', (_name, files: Record<string, string>, expected) => {
    expect(target(files)).toBe(expected);
  });
});
