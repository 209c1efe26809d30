import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { allRules } from '../rules';
import {
  ConfigFilter,
  configSearchFolder,
  configSettings,
  keptFiles,
  findConfigFile,
  loadConfigFile,
  loadRunConfig,
  parseConfig,
  patternProblem,
} from '../src/config';
import { cacheFingerprint } from '../src/cache';
import { listTree } from '../src/discovery';
import { createSourceFile } from '../src/source';

const ROOT = path.join(__dirname, '..');

function parse(text: string) {
  return parseConfig(createSourceFile('.prodcheck.yaml', 'yaml', text), allRules);
}

function temporaryFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-config-'));
}

describe('configuration file', () => {
  test('every setting read', () => {
    const { config, errors } = parse(
      [
        'fail-on: warning',
        'target-stage: production',
        'require-reason: true',
        'rules:',
        '  flask-proxyfix-missing: off',
        '  gunicorn-workers-fixed: info',
        '  flask-proxyfix-trusts-too-many:',
        '    severity: error',
        '    options:',
        '      trustedProxies: 2',
        '  requirements-unpinned:',
        '    options:',
        '      pins: { flask: "3.0.3", Flask-Cors: "5.0.0" }',
        '  gunicorn-timeout-invalid: { options: { maxSeconds: 120 } }',
        'include: ["services/"]',
        'exclude:',
        '  - legacy/',
        'per-file-ignores:',
        '  "scripts/*.py": [python-secret-literal]',
        '  "tools/seed.py": flask-debug-enabled',
        '  "vendor/": all',
        '',
      ].join('\n'),
    );

    expect(errors).toEqual([]);
    expect(config.failOn).toBe('warning');
    expect(config.targetStage).toBe('production');
    expect(config.requireReason).toBe(true);
    expect(config.severities.get('flask-proxyfix-missing')).toBe('off');
    expect(config.severities.get('gunicorn-workers-fixed')).toBe('info');
    expect(config.severities.get('flask-proxyfix-trusts-too-many')).toBe('error');
    expect(config.ruleOptions.get('flask-proxyfix-trusts-too-many')).toEqual({ trustedProxies: 2 });
    expect(config.ruleOptions.get('requirements-unpinned')).toEqual({ pins: { flask: '3.0.3', 'Flask-Cors': '5.0.0' } });
    expect(config.ruleOptions.get('gunicorn-timeout-invalid')).toEqual({ maxSeconds: 120 });
    expect(config.include).toEqual(['services/']);
    expect(config.exclude).toEqual(['legacy/']);
    expect(config.perFileIgnores).toEqual([
      { pattern: 'scripts/*.py', rules: ['python-secret-literal'] },
      { pattern: 'tools/seed.py', rules: ['flask-debug-enabled'] },
      { pattern: 'vendor/', rules: 'all' },
    ]);
  });

  test('single pattern string accepted', () => {
    const { config, errors } = parse('include: services/\nexclude: "*.bak.py"\n');
    expect(errors).toEqual([]);
    expect(config.include).toEqual(['services/']);
    expect(config.exclude).toEqual(['*.bak.py']);
  });

  test('suppression rules configurable', () => {
    const { config, errors } = parse('rules:\n  suppression-unused: off\n  suppression-invalid: error\n');
    expect(errors).toEqual([]);
    expect(config.severities.get('suppression-unused')).toBe('off');
    expect(config.severities.get('suppression-invalid')).toBe('error');
  });

  test.each([
    ['unknown top-level key', 'fail_on: warning\n', 1, 1, /Unknown setting `fail_on` \(did you mean `fail-on`\?\); the settings are `fail-on`, `target-stage`, `require-reason`/],
    ['bad fail-on', 'fail-on: sometimes\n', 1, 10, /Invalid `fail-on` value `sometimes`; use one of `error`, `warning`, `info`/],
    ['empty target-stage', 'target-stage: ""\n', 1, 15, /Invalid `target-stage` value ``; give the name of a Dockerfile stage/],
    ['bad require-reason', 'require-reason: yes please\n', 1, 17, /Invalid `require-reason` value `yes please`\. Use `true` or `false`/],
    ['unknown rule', 'rules:\n  flask-debug-enable: off\n', 2, 3, /Unknown rule `flask-debug-enable` \(did you mean `flask-debug-enabled`\?\)/],
    ['bad severity', 'rules:\n  flask-debug-enabled: loud\n', 2, 24, /Invalid setting `loud` for rule `flask-debug-enabled`; use one of `error`, `warning`, `info`, `off`/],
    ['empty rule setting', 'rules:\n  flask-debug-enabled:\n', 2, 23, /Invalid setting empty for rule `flask-debug-enabled`/],
    ['bad severity in mapping', 'rules:\n  flask-debug-enabled:\n    severity: high\n', 3, 15, /Invalid severity `high` for rule `flask-debug-enabled`/],
    ['unknown rule key', 'rules:\n  flask-debug-enabled:\n    level: off\n', 3, 5, /Unknown key `level` for rule `flask-debug-enabled`; use `severity`, `options`/],
    ['rules not a mapping', 'rules: [flask-debug-enabled]\n', 1, 8, /Invalid `rules` value/],
    ['bad include', 'include: 3\n', 1, 10, /Invalid `include` value `3`/],
    ['bad exclude item', 'exclude: [legacy/, 4]\n', 1, 10, /Invalid `exclude` value/],
    ['per-file-ignores not a mapping', 'per-file-ignores: [a.py]\n', 1, 19, /Invalid `per-file-ignores` value/],
    ['bad ignore list', 'per-file-ignores:\n  "a.py": [flask-debug-enabled, no-such-rule]\n', 2, 33, /Unknown rule `no-such-rule` in `per-file-ignores`/],
    ['empty ignore list', 'per-file-ignores:\n  "a.py": []\n', 2, 11, /Invalid rule list for `a.py`; give a list of rule ids, or `all`/],
    ['not a mapping', '- fail-on\n', 1, 1, /must be a mapping/],
    ['two documents', 'fail-on: info\n---\nfail-on: error\n', 1, 1, /more than one YAML document/],
    ['syntax error', 'rules: [\n', 2, 1, /./],
    ['duplicate key', 'fail-on: info\nfail-on: error\n', 2, 1, /duplicated mapping key/],
  ])('%s reported with location', (_name, text, line, column, message) => {
    const { errors } = parse(text);
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(line);
    expect(errors[0].column).toBe(column);
    expect(errors[0].message).toMatch(message);
  });

  test.each([
    ['rule without options', 'rules:\n  flask-debug-enabled:\n    options: { level: 2 }\n', 3, 5, /Rule `flask-debug-enabled` has no options\. Remove `options`/],
    ['unknown option', 'rules:\n  flask-proxyfix-trusts-too-many:\n    options:\n      trustedProxy: 2\n', 4, 7, /Unknown option `trustedProxy` \(did you mean `trustedProxies`\?\) for rule `flask-proxyfix-trusts-too-many`\. Its options are `trustedProxies`/],
    ['options not a mapping', 'rules:\n  flask-proxyfix-trusts-too-many:\n    options: 2\n', 3, 14, /Invalid `options` value `2` for rule `flask-proxyfix-trusts-too-many`/],
    ['negative count', 'rules:\n  flask-proxyfix-trusts-too-many:\n    options:\n      trustedProxies: -1\n', 4, 23, /Invalid value `-1` for option `trustedProxies` of rule `flask-proxyfix-trusts-too-many`: it must be a whole number of 0 or more/],
    ['fractional count', 'rules:\n  flask-proxyfix-trusts-too-many:\n    options:\n      trustedProxies: 1.5\n', 4, 23, /it must be a whole number of 0 or more/],
    ['string count', 'rules:\n  flask-proxyfix-trusts-too-many:\n    options:\n      trustedProxies: "2"\n', 4, 23, /Invalid value `"2"` for option `trustedProxies` of rule `flask-proxyfix-trusts-too-many`: it must be a whole number .*, not a string; write it without quotes\./],
    ['zero timeout', 'rules:\n  gunicorn-timeout-invalid:\n    options:\n      maxSeconds: 0\n', 4, 19, /it must be a whole number of 1 or more/],
    ['pins not a mapping', 'rules:\n  requirements-unpinned:\n    options:\n      pins: [flask]\n', 4, 13, /option `pins` of rule `requirements-unpinned`: it must be a mapping/],
    ['pin version unquoted', 'rules:\n  requirements-unpinned:\n    options:\n      pins:\n        flask: 3.0\n', 5, 16, /Invalid value `3` for option `pins\.flask` of rule `requirements-unpinned`: it must be a string, and YAML reads an unquoted `3` as a number; put the value in quotes\./],
    ['pin version not a version', 'rules:\n  requirements-unpinned:\n    options:\n      pins:\n        flask: latest\n', 5, 16, /Invalid value `"latest"` for option `pins\.flask`.*it must match/],
    ['pin name invalid', 'rules:\n  requirements-unpinned:\n    options:\n      pins:\n        "-flask": "3.0.3"\n', 5, 9, /Invalid value `"-flask"` for option `pins\.-flask`.*the key must match/],
  ])('option error: %s', (_name, text, line, column, message) => {
    const { config, errors } = parse(text);
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(line);
    expect(errors[0].column).toBe(column);
    expect(errors[0].message).toMatch(message);
    expect(config.ruleOptions.size).toBe(0);
  });

  test.each([
    ['empty', 'include: [""]\n', 1, 11, /the pattern is empty/],
    ['comment', 'exclude: ["#generated"]\n', 1, 11, /starts with `#` as a comment/],
    ['leading out', 'exclude:\n  - ../other/\n', 2, 5, /cannot lead out of the folder/],
    ['unclosed bracket', 'exclude: ["file[0-9.py"]\n', 1, 11, /the `\[` at character 5 has no closing `\]`/],
    ['backwards range', 'include: ["[z-a]*.py"]\n', 1, 11, /the range `z-a` runs backwards/],
    ['lone backslash', 'exclude: ["legacy\\\\"]\n', 1, 11, /ends in a lone backslash/],
    ['per-file pattern', 'per-file-ignores:\n  "[b-a].py": all\n', 2, 3, /Invalid pattern `\[b-a\]\.py` in `per-file-ignores`: the range/],
  ])('bad glob: %s', (_name, text, line, column, message) => {
    const { errors } = parse(text);
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(line);
    expect(errors[0].column).toBe(column);
    expect(errors[0].message).toMatch(message);
  });

  test('every error in a file reported', () => {
    const { errors } = parse('fail-on: never\nrules:\n  no-such-rule: off\n  flask-debug-enabled: loud\nbogus: 1\n');
    expect(errors.map((error) => error.line)).toEqual([1, 3, 4, 5]);
  });

  test('valid patterns accepted', () => {
    for (const pattern of ['legacy/', '*.py', '/top.py', 'a/**/b.py', '!keep.py', 'file[0-9].py', '[!a-c]x.py', '\\#literal.py', 'name\\\\']) {
      expect(patternProblem(pattern)).toBeNull();
    }
  });

  test('empty file is the defaults', () => {
    expect(parse('').errors).toEqual([]);
    expect(parse('# nothing\n').config.severities.size).toBe(0);
  });
});

describe('configuration lookup', () => {
  test('found by walking up', () => {
    const root = temporaryFolder();
    fs.mkdirSync(path.join(root, 'services', 'orders'), { recursive: true });
    fs.writeFileSync(path.join(root, '.prodcheck.yaml'), 'fail-on: info\n');

    expect(findConfigFile(path.join(root, 'services', 'orders'))).toBe(path.join(root, '.prodcheck.yaml'));
    expect(loadConfigFile(path.join(root, '.prodcheck.yaml'), allRules).config.failOn).toBe('info');
  });

  test('nearest file wins', () => {
    const root = temporaryFolder();
    fs.mkdirSync(path.join(root, 'services', 'orders'), { recursive: true });
    fs.writeFileSync(path.join(root, '.prodcheck.yaml'), 'fail-on: info\n');
    fs.writeFileSync(path.join(root, 'services', '.prodcheck.yml'), 'fail-on: warning\n');

    expect(findConfigFile(path.join(root, 'services', 'orders'))).toBe(path.join(root, 'services', '.prodcheck.yml'));
  });

  test('search folder of several targets', () => {
    const root = temporaryFolder();
    fs.mkdirSync(path.join(root, 'a', 'x'), { recursive: true });
    fs.mkdirSync(path.join(root, 'ab'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a', 'x', 'main.py'), '');

    expect(configSearchFolder([path.join(root, 'a', 'x', 'main.py')])).toBe(path.join(root, 'a', 'x'));
    expect(configSearchFolder([path.join(root, 'a', 'x'), path.join(root, 'ab')])).toBe(root);
    expect(configSearchFolder([path.join(root, 'a', 'x', 'main.py'), path.join(root, 'a')])).toBe(path.join(root, 'a'));
  });

  test('missing file reported', () => {
    const { errors } = loadConfigFile('/nonexistent/.prodcheck.yaml', allRules);
    expect(errors[0].message).toContain('cannot be read: no such file');
  });

  test('folder reported', () => {
    const folder = temporaryFolder();
    const { errors } = loadConfigFile(folder, allRules);
    expect(errors).toEqual([{ file: folder, line: 1, column: 1, message: 'The configuration file cannot be read: it is a folder.' }]);
  });

  test('undecodable file reported', () => {
    const folder = temporaryFolder();
    const file = path.join(folder, '.prodcheck.yaml');
    fs.writeFileSync(file, Buffer.from([0x66, 0x61, 0x69, 0x6c, 0xff, 0xfe, 0x00, 0x3a, 0x0a]));
    const { errors } = loadConfigFile(file, allRules);
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^The configuration file /);
  });

  test('run errors name file, line and column', () => {
    const folder = temporaryFolder();
    fs.writeFileSync(path.join(folder, '.prodcheck.yaml'), 'rules:\n  flask-debug-enable: off\n');
    const loaded = loadRunConfig(folder, folder, undefined, allRules);
    expect(loaded).toEqual({ errors: ['.prodcheck.yaml:2:3: Unknown rule `flask-debug-enable` (did you mean `flask-debug-enabled`?); `prodcheck rules` lists the rule ids.'] });
  });

  test('named file replaces the search', () => {
    const folder = temporaryFolder();
    fs.writeFileSync(path.join(folder, '.prodcheck.yaml'), 'fail-on: info\n');
    fs.writeFileSync(path.join(folder, 'ci.yaml'), 'fail-on: warning\n');

    const loaded = loadRunConfig(folder, folder, 'ci.yaml', allRules);
    expect(loaded).toEqual({ config: expect.objectContaining({ failOn: 'warning' }) });
    expect(loadRunConfig(folder, folder, 'missing.yaml', allRules)).toEqual({ errors: ['missing.yaml:1:1: The configuration file cannot be read: no such file.'] });
  });

  test('no file gives defaults', () => {
    const folder = temporaryFolder();
    const loaded = loadRunConfig(folder, folder, undefined, allRules);
    // The temporary folder's parents hold no configuration file on a clean machine.
    if (findConfigFile(folder) === null) expect(loaded).toEqual({ config: expect.objectContaining({ file: null, failOn: null }) });
  });
});

describe('ConfigFilter', () => {
  const { config } = parse('include: ["services/"]\nexclude: ["services/legacy/"]\nper-file-ignores:\n  "*.test.py": all\n  "scripts/": [python-secret-literal]\n');
  const filter = new ConfigFilter(config);

  test('include and exclude', () => {
    expect(filter.includesFile('services/orders/main.py')).toBe(true);
    expect(filter.includesFile('services/legacy/main.py')).toBe(false);
    expect(filter.includesFile('tools/main.py')).toBe(false);
  });

  test('findings in left-out files ignored', () => {
    expect(filter.ignoresFinding('services/legacy/main.py', 'flask-debug-enabled')).toBe(true);
    expect(filter.ignoresFinding('tools/main.py', 'flask-debug-enabled')).toBe(true);
    expect(filter.ignoresFinding('services/orders/main.py', 'flask-debug-enabled')).toBe(false);
  });

  test('per-file ignores', () => {
    expect(filter.ignoresFinding('services/a.test.py', 'flask-debug-enabled')).toBe(true);
    expect(filter.ignoresFinding('services/scripts/seed.py', 'python-secret-literal')).toBe(true);
    expect(filter.ignoresFinding('services/scripts/seed.py', 'flask-debug-enabled')).toBe(false);
  });

  test('paths outside the pattern root never match', () => {
    expect(filter.includesFile('../elsewhere/main.py')).toBe(true);
    expect(filter.ignoresFinding('../scripts/seed.py', 'python-secret-literal')).toBe(false);
  });

  test('kept files of the checked folder', () => {
    const folder = temporaryFolder();
    config.file = path.join(folder, '.prodcheck.yaml');
    const kept = keptFiles(folder, configSettings(config, folder, false));

    expect(['services/main.py', 'services/legacy/main.py', 'tools/main.py'].filter(kept)).toEqual(['services/main.py']);
  });

  test('patterns relative to the config folder', () => {
    const folder = temporaryFolder();
    fs.mkdirSync(path.join(folder, 'services', 'legacy'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'services', 'main.py'), 'x = 1\n');
    fs.writeFileSync(path.join(folder, 'services', 'legacy', 'main.py'), 'x = 1\n');
    config.file = path.join(folder, '.prodcheck.yaml');

    // Checking `services/` alone still reads `services/legacy/` as excluded, because patterns start at the configuration file.
    const checked = path.join(folder, 'services');
    const settings = configSettings(config, checked, false);
    expect(settings.patternRoot).toBe(folder);
    expect(['main.py', 'legacy/main.py'].filter(keptFiles(checked, settings))).toEqual(['main.py']);
  });

  test('config elsewhere: patterns relative to checked folder', () => {
    const elsewhere = temporaryFolder();
    const checked = temporaryFolder();
    config.file = path.join(elsewhere, 'prodcheck.yaml');
    expect(configSettings(config, checked, true)).toMatchObject({ patternRoot: checked, requireReason: true });
  });
});

describe('cache key of settings', () => {
  const ids = allRules.map((rule) => rule.meta.id);

  test('same settings, any key order', () => {
    const a = cacheFingerprint(ids, { settings: { severities: { 'flask-dev-server': 'info', 'python-secret-literal': 'off' }, requireReason: false } });
    const b = cacheFingerprint(ids, { settings: { requireReason: false, severities: { 'python-secret-literal': 'off', 'flask-dev-server': 'info' } } });
    expect(a).toBe(b);
  });

  test.each([
    ['severity', { severities: { 'python-secret-literal': 'warning' } }],
    ['rule options', { ruleOptions: { 'flask-proxyfix-trusts-too-many': { trustedProxies: 2 } } }],
    ['per-file ignores', { perFileIgnores: [{ pattern: 'tests/', rules: 'all' }] }],
    ['exclude', { exclude: ['legacy/'] }],
    ['require-reason', { requireReason: true }],
  ])('%s changes the key', (_name, change) => {
    const base = { severities: {}, ruleOptions: {}, include: [], exclude: [], perFileIgnores: [], requireReason: false };
    expect(cacheFingerprint(ids, { settings: { ...base, ...change } })).not.toBe(cacheFingerprint(ids, { settings: base }));
  });
});

describe('configuration schema', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv').default;
  const { renderConfigSchema } = jest.requireActual('../src/docs') as typeof import('../src/docs');
  const schemaPath = path.join(ROOT, 'docs', 'prodcheck.schema.json');
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(renderConfigSchema(allRules)));

  test('schema file up to date', () => {
    expect(fs.readFileSync(schemaPath, 'utf8')).toBe(renderConfigSchema(allRules));
  });

  test('schema accepts what the loader accepts', () => {
    const accepted = {
      'fail-on': 'warning',
      'require-reason': false,
      rules: {
        'flask-debug-enabled': 'off',
        'flask-proxyfix-trusts-too-many': { severity: 'error', options: { trustedProxies: 2 } },
        'requirements-unpinned': { options: { pins: { flask: '3.0.3' } } },
      },
      'per-file-ignores': { 'a/': 'all', 'b.py': 'python-secret-literal', 'c.py': ['flask-debug-enabled'] },
    };
    expect(validate(accepted)).toBe(true);
    expect(parse(yaml.dump(accepted)).errors).toEqual([]);
  });

  test.each([
    ['unknown key', { fail_on: 'warning' }],
    ['unknown rule', { rules: { 'no-such-rule': 'off' } }],
    ['bad fail-on', { 'fail-on': 'sometimes' }],
    ['bad require-reason', { 'require-reason': 'yes' }],
    ['options on a rule without options', { rules: { 'flask-debug-enabled': { options: { x: 1 } } } }],
    ['unknown option', { rules: { 'flask-proxyfix-trusts-too-many': { options: { trustedProxy: 2 } } } }],
    ['negative option', { rules: { 'flask-proxyfix-trusts-too-many': { options: { trustedProxies: -1 } } } }],
    ['number pin', { rules: { 'requirements-unpinned': { options: { pins: { flask: 3 } } } } }],
    ['empty ignore list', { 'per-file-ignores': { 'a.py': [] } }],
    ['empty pattern', { include: [''] }],
  ])('schema and loader both reject %s', (_name, data) => {
    expect(validate(data)).toBe(false);
    expect(parse(yaml.dump(data)).errors.length).toBeGreaterThan(0);
  });

  test('documented examples valid', () => {
    const page = fs.readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8');
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const readmeSection = /\n## Configuration\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const examples = [...`${page}\n${readmeSection}`.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(examples.length).toBeGreaterThan(1);

    for (const example of examples) {
      const data = yaml.load(example);
      expect(validate(data) ? [] : validate.errors).toEqual([]);
      expect(parse(example).errors).toEqual([]);
    }
  });
});
