import { loadYamlFile, MAX_YAML_ALIASES } from '../../src/parsers/yaml';
import { createSourceFile, positionAt, type Location } from '../../src/source';
import type { YamlEntry } from '../../src/model/types';

function load(text: string, relPath = 'config/app.yaml') {
  return loadYamlFile(createSourceFile(relPath, 'yaml', text));
}

function located(location: Location | null) {
  if (!location) return null;
  const { line, column } = positionAt(location.file, location.start);
  return { text: location.file.text.slice(location.start, location.end), line, column };
}

function entry(entries: YamlEntry[], path: string): YamlEntry {
  const found = entries.find((candidate) => candidate.path.join('.') === path);
  if (!found) throw new Error(`No entry at ${path}`);
  return found;
}

describe('YAML entries', () => {
  const text = [
    'name: orders',
    'database:',
    '  url: "postgresql://app@db/orders"  # comment',
    '  pool:',
    'ports: [8000, {admin: 9000}]',
    'hosts:',
    '  - alpha',
    '  - port: 1',
    '    tls: true',
    'script: |',
    '  echo one',
    '  echo two',
    'next: 2',
    '',
  ].join('\n');
  const [document] = load(text).documents;

  test('scalar key and value', () => {
    const url = entry(document.entries, 'database.url');

    expect(url.value).toBe('postgresql://app@db/orders');
    expect(located(url.keyLocation)).toEqual({ text: 'url', line: 3, column: 3 });
    expect(located(url.valueLocation)).toEqual({ text: '"postgresql://app@db/orders"', line: 3, column: 8 });
  });

  test('empty value after colon', () => {
    const pool = entry(document.entries, 'database.pool');

    expect(pool.value).toBeNull();
    expect(located(pool.valueLocation)).toEqual({ text: '', line: 4, column: 8 });
  });

  test('flow collections', () => {
    expect(located(entry(document.entries, 'ports').valueLocation)?.text).toBe('[8000, {admin: 9000}]');
    expect(located(entry(document.entries, 'ports.0').valueLocation)).toEqual({ text: '8000', line: 5, column: 9 });
    expect(located(entry(document.entries, 'ports.1.admin').valueLocation)).toEqual({ text: '9000', line: 5, column: 23 });
  });

  test('block sequences', () => {
    expect(located(entry(document.entries, 'hosts.0').valueLocation)).toEqual({ text: 'alpha', line: 7, column: 5 });
    expect(located(entry(document.entries, 'hosts.1.tls').keyLocation)).toEqual({ text: 'tls', line: 9, column: 5 });
    expect(entry(document.entries, 'hosts.1.tls').value).toBe(true);
  });

  test('block scalar', () => {
    const script = entry(document.entries, 'script');

    expect(script.value).toBe('echo one\necho two\n');
    expect(located(script.valueLocation)?.text).toBe('|\n  echo one\n  echo two');
    expect(located(entry(document.entries, 'next').valueLocation)).toEqual({ text: '2', line: 13, column: 7 });
  });

  test('collections have entries', () => {
    expect(located(entry(document.entries, 'database').valueLocation)?.line).toBe(3);
    expect(document.entries.some((candidate) => candidate.path.length === 0)).toBe(false);
  });
});

describe('YAML documents', () => {
  test('several documents', () => {
    const loaded = load('a: 1\n---\nb: 2\n...\n---\nc: 3\n');

    expect(loaded.documents.map((document) => document.data)).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(located(loaded.documents[2].entries[0].valueLocation)).toEqual({ text: '3', line: 6, column: 4 });
  });

  test('syntax error keeps earlier documents', () => {
    const loaded = load('ok: 1\n---\nbad: [1, 2\n');

    expect(loaded.documents.map((document) => document.data)).toEqual([{ ok: 1 }]);
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0].message).toMatch(/^YAML syntax error: /);
    expect(located(loaded.problems[0].location)?.line).toBe(4);
  });

  test('duplicate key is a problem', () => {
    const loaded = load('a: 1\na: 2\n');

    expect(loaded.documents).toEqual([]);
    expect(loaded.problems[0].message).toContain('duplicated mapping key');
  });

  test('BOM and CRLF', () => {
    const file = createSourceFile('config/app.yaml', 'yaml', 'name: x\r\ndebug: true\r\n', 'utf16le', true);
    const [document] = loadYamlFile(file).documents;

    expect(located(entry(document.entries, 'debug').valueLocation)).toEqual({ text: 'true', line: 2, column: 8 });
  });

  test('empty and comment-only files', () => {
    expect(load('').documents).toEqual([]);
    expect(load('# nothing\n').documents.map((document) => document.data)).toEqual([null]);
  });
});

describe('YAML safety', () => {
  test('aliases and merge keys located at the anchor', () => {
    const [document] = load('base: &base\n  timeout: 30\nweb:\n  <<: *base\n  port: 8000\ncopy: *base\n').documents;

    expect(document.data).toEqual({ base: { timeout: 30 }, web: { timeout: 30, port: 8000 }, copy: { timeout: 30 } });
    expect(located(entry(document.entries, 'web.timeout').valueLocation)).toEqual({ text: '30', line: 2, column: 12 });
    expect(located(entry(document.entries, 'web.port').keyLocation)).toEqual({ text: 'port', line: 5, column: 3 });
    expect(located(entry(document.entries, 'copy').valueLocation)).toEqual({ text: '*base', line: 6, column: 7 });
  });

  test('billion laughs becomes a problem', () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (const [previous, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const started = Date.now();
    const loaded = load(`${levels.join('\n')}\n`);

    expect(loaded.documents).toEqual([]);
    expect(loaded.problems[0].message).toMatch(/expands to more than 100000 nodes/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('too many aliases is a problem', () => {
    const aliases = Array(MAX_YAML_ALIASES + 1).fill('*x').join(', ');
    const loaded = load(`x: &x 1\nlist: [${aliases}]\n`);

    expect(loaded.documents).toEqual([]);
    expect(loaded.problems[0].message).toContain(`more than the ${MAX_YAML_ALIASES}`);
  });

  test('recursive alias is a problem', () => {
    const loaded = load('a: &x\n  b: *x\n');

    expect(loaded.documents).toEqual([]);
    expect(loaded.problems[0].message).toContain('refers to itself');
  });

  test('__proto__ key pollutes nothing', () => {
    const [document] = load('__proto__:\n  polluted: yes\n').documents;

    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(document.data as object)).toEqual(['__proto__']);
    expect(entry(document.entries, '__proto__.polluted').value).toBe('yes');
  });

  test('custom tags load as plain data', () => {
    const [document] = load('bucket: !Ref BucketName\nkey: !vault |\n  $ANSIBLE_VAULT;1.1\nobj: !!python/object/apply:os.system ["id"]\n').documents;

    expect(document.data).toEqual({ bucket: 'BucketName', key: '$ANSIBLE_VAULT;1.1\n', obj: ['id'] });
    expect(entry(document.entries, 'bucket').tag).toBe('!Ref');
    expect(entry(document.entries, 'key').tag).toBe('!vault');
    expect(entry(document.entries, 'obj').tag).toBe('!!python/object/apply:os.system');
    expect(entry(document.entries, 'obj.0').tag).toBeUndefined();
  });

  test('standard tags are not custom', () => {
    const [document] = load('port: !!str 8000\n').documents;

    expect(entry(document.entries, 'port').value).toBe('8000');
    expect(entry(document.entries, 'port').tag).toBeUndefined();
  });
});
