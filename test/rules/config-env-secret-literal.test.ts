import { fixSystem } from '../../src/fix/loop';
import { systemFromMemory } from '../../src/system';
import { findRule } from '../../rules';
import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'config-env-secret-literal';

function compose(environment: string): Record<string, string> {
  return { 'docker-compose.yml': `services:\n  web:\n    build: .\n    environment:\n${environment}` };
}

function pod(env: string): Record<string, string> {
  return { 'pod.yaml': ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: api', 'spec:', '  containers:', '    - name: api', '      image: api:1.0', '      env:', env, ''].join('\n') };
}

function fixed(files: Record<string, string>): Record<string, string> {
  const outcome = fixSystem(systemFromMemory(files), { rules: [findRule(RULE)!], unsafe: true, existsOnDisk: () => false });
  return Object.fromEntries(outcome.changes.map((change) => [change.relPath, change.fixed.text]));
}

describe(RULE, () => {
  test.each<[string, Record<string, string>, Array<[string, number, number]>]>([
    ['mapping literal', compose('      SECRET_KEY: 3f9a7c1e5b\n'), [['docker-compose.yml', 5, 19]]],
    ['list literal', compose('      - DB_PASSWORD=hunter2\n'), [['docker-compose.yml', 5, 9]]],
    ['literal default', compose('      API_TOKEN: ${API_TOKEN:-tok_live_123}\n'), [['docker-compose.yml', 5, 18]]],
    ['URL with a password', compose('      DATABASE_URL: postgresql://app:hunter2@db:5432/orders\n'), [['docker-compose.yml', 5, 21]]],
    ['kubernetes value', pod('        - name: SECRET_KEY\n          value: "3f9a7c1e5b"'), [['pod.yaml', 11, 18]]],
  ])('reports %s', (_name, files, expected) => {
    expect(ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column])).toEqual(expected);
  });

  test('messages', () => {
    const files = { ...compose('      SECRET_KEY: abc123\n      API_TOKEN: ${API_TOKEN:-tok_live_123}\n'), ...pod('        - name: DATABASE_URL\n          value: postgresql://app:hunter2@db/orders') };

    expect(checkFiles(files, [RULE]).map((finding) => finding.message)).toEqual([
      '`SECRET_KEY` is set to a literal secret in `docker-compose.yml`, so every clone of the repository holds it.',
      '`API_TOKEN` falls back to a literal secret in `docker-compose.yml` when `API_TOKEN` is unset.',
      '`DATABASE_URL` holds a URL with a literal password in `pod.yaml`, so every clone of the repository holds it.',
    ]);
  });

  test.each<[string, Record<string, string>]>([
    ['reference', compose('      SECRET_KEY: ${SECRET_KEY}\n')],
    ['required reference', compose('      SECRET_KEY: ${SECRET_KEY:?set it}\n')],
    ['empty value', compose('      SECRET_KEY: ""\n      DB_PASSWORD:\n')],
    ['list name only', compose('      - SECRET_KEY\n')],
    ['placeholder', compose('      DB_PASSWORD: <password>\n')],
    ['descriptive name', compose('      SECRET_KEY_FILE: /run/secrets/key\n      PASSWORD_MIN_LENGTH: "12"\n')],
    ['URL without a password', compose('      DATABASE_URL: postgresql://app@db:5432/orders\n')],
    ['URL password from a variable', compose('      DATABASE_URL: postgresql://app:${DB_PASSWORD}@db:5432/orders\n')],
    ['development compose', { 'docker-compose.dev.yml': 'services:\n  web:\n    environment:\n      SECRET_KEY: dev\n' }],
    ['kubernetes secretKeyRef', pod('        - name: SECRET_KEY\n          valueFrom:\n            secretKeyRef:\n              name: app\n              key: secret-key')],
    ['not a secret', compose('      LOG_LEVEL: info\n')],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test.each<[string, Record<string, string>, string]>([
    ['mapping', compose('      SECRET_KEY: 3f9a7c1e5b  # rotate\n'), '      SECRET_KEY: "${SECRET_KEY}"  # rotate\n'],
    ['list item', compose('      - "DB_PASSWORD=hunter2"\n'), '      - "DB_PASSWORD=${DB_PASSWORD}"\n'],
    ['literal default', compose('      API_TOKEN: ${TOKEN:-tok_live_123}\n'), '      API_TOKEN: "${TOKEN}"\n'],
  ])('fixes %s', (_name, files, expectedLine) => {
    const result = fixed(files)['docker-compose.yml'];

    expect(result).toBe(`services:\n  web:\n    build: .\n    environment:\n${expectedLine}`);
    expect(ruleFindings(RULE, { 'docker-compose.yml': result })).toEqual([]);
  });

  test('no fix in kubernetes', () => {
    expect(fixed(pod('        - name: SECRET_KEY\n          value: "3f9a7c1e5b"'))).toEqual({});
  });
});
