import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../rules';
import { ConfigFilter, findConfigFile, loadConfigFile, parseConfig } from '../src/config';
import { createSourceFile } from '../src/source';

const RULE_IDS = allRules.map((rule) => rule.meta.id);

function parse(text: string) {
  return parseConfig(createSourceFile('.prodcheck.yaml', 'yaml', text), RULE_IDS);
}

describe('configuration file', () => {
  test('every setting read', () => {
    const { config, errors } = parse(
      [
        'fail-on: warning',
        'target-stage: production',
        'rules:',
        '  flask-proxyfix-missing: off',
        '  gunicorn-workers-fixed: info',
        '  flask-proxyfix-trusts-too-many:',
        '    severity: error',
        '    options:',
        '      trustedProxies: 2',
        'include: ["services/"]',
        'exclude:',
        '  - legacy/',
        'per-file-ignores:',
        '  "scripts/*.py": [python-secret-literal]',
        '  "vendor/": all',
        '',
      ].join('\n'),
    );

    expect(errors).toEqual([]);
    expect(config.failOn).toBe('warning');
    expect(config.targetStage).toBe('production');
    expect(config.severities.get('flask-proxyfix-missing')).toBe('off');
    expect(config.severities.get('gunicorn-workers-fixed')).toBe('info');
    expect(config.severities.get('flask-proxyfix-trusts-too-many')).toBe('error');
    expect(config.ruleOptions.get('flask-proxyfix-trusts-too-many')).toEqual({ trustedProxies: 2 });
    expect(config.include).toEqual(['services/']);
    expect(config.exclude).toEqual(['legacy/']);
    expect(config.perFileIgnores).toEqual([
      { pattern: 'scripts/*.py', rules: ['python-secret-literal'] },
      { pattern: 'vendor/', rules: 'all' },
    ]);
  });

  test.each([
    ['unknown top-level key', 'fail_on: warning\n', 1, 1, /Unknown setting `fail_on` \(did you mean `fail-on`\?\)/],
    ['bad fail-on', 'fail-on: sometimes\n', 1, 10, /Invalid `fail-on` value `sometimes`; use one of `error`, `warning`, `info`/],
    ['unknown rule', 'rules:\n  flask-debug-enable: off\n', 2, 3, /Unknown rule `flask-debug-enable` \(did you mean `flask-debug-enabled`\?\)/],
    ['bad severity', 'rules:\n  flask-debug-enabled: loud\n', 2, 24, /Invalid setting `loud` for rule `flask-debug-enabled`; use one of `error`, `warning`, `info`, `off`/],
    ['unknown rule key', 'rules:\n  flask-debug-enabled:\n    level: off\n', 3, 5, /Unknown key `level`/],
    ['bad include', 'include: 3\n', 1, 10, /Invalid `include` value `3`/],
    ['bad ignore list', 'per-file-ignores:\n  "a.py": [no-such-rule]\n', 2, 11, /Unknown rule `no-such-rule`/],
    ['not a mapping', '- fail-on\n', 1, 1, /must be a mapping/],
    ['syntax error', 'rules: [\n', 2, 1, /./],
  ])('%s reported with location', (_name, text, line, column, message) => {
    const { errors } = parse(text);
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(line);
    expect(errors[0].column).toBe(column);
    expect(errors[0].message).toMatch(message);
  });

  test('empty file is the defaults', () => {
    expect(parse('').errors).toEqual([]);
    expect(parse('# nothing\n').config.severities.size).toBe(0);
  });

  test('found by walking up', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-config-'));
    fs.mkdirSync(path.join(root, 'services', 'orders'), { recursive: true });
    fs.writeFileSync(path.join(root, '.prodcheck.yaml'), 'fail-on: info\n');

    expect(findConfigFile(path.join(root, 'services', 'orders'))).toBe(path.join(root, '.prodcheck.yaml'));
    expect(loadConfigFile(path.join(root, '.prodcheck.yaml'), RULE_IDS).config.failOn).toBe('info');
  });

  test('missing file reported', () => {
    const { errors } = loadConfigFile('/nonexistent/.prodcheck.yaml', RULE_IDS);
    expect(errors[0].message).toContain('cannot be read: no such file');
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

  test('per-file ignores', () => {
    expect(filter.ignoresFinding('services/a.test.py', 'flask-debug-enabled')).toBe(true);
    expect(filter.ignoresFinding('scripts/seed.py', 'python-secret-literal')).toBe(true);
    expect(filter.ignoresFinding('scripts/seed.py', 'flask-debug-enabled')).toBe(false);
  });
});

describe('configuration schema', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv').default;
  const { renderConfigSchema } = jest.requireActual('../src/docs') as typeof import('../src/docs');
  const schemaPath = path.join(__dirname, '..', 'docs', 'prodcheck.schema.json');

  test('schema file up to date', () => {
    expect(fs.readFileSync(schemaPath, 'utf8')).toBe(renderConfigSchema(allRules));
  });

  test('schema agrees with the loader', () => {
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(renderConfigSchema(allRules)));
    expect(validate({ 'fail-on': 'warning', rules: { 'flask-debug-enabled': 'off', 'flask-proxyfix-trusts-too-many': { severity: 'error', options: { trustedProxies: 2 } } }, 'per-file-ignores': { 'a/': 'all' } })).toBe(true);
    expect(validate({ fail_on: 'warning' })).toBe(false);
    expect(validate({ rules: { 'no-such-rule': 'off' } })).toBe(false);
    expect(validate({ 'fail-on': 'sometimes' })).toBe(false);
  });
});
