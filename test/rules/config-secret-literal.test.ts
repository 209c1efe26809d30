import { checkFiles, dedent, ruleFindings } from '../helpers';

const RULE = 'config-secret-literal';

function messages(files: Record<string, string>): string[] {
  return checkFiles(files, [RULE]).filter((finding) => finding.ruleId === RULE).map((finding) => finding.message);
}

describe(RULE, () => {
  test('reports literal secrets', () => {
    const files = {
      'config/system_config.yaml': dedent(`
        system:
          name: orders-api
          secret_key: dev-secret
        database:
          url: postgresql://app:hunter2@db:5432/orders
          password: "changeme"
        stripe:
          api_key: 12345
        auth_token: \${AUTH_TOKEN:-local-token}
        broker: \${BROKER_URL:-amqp://guest:guest@rabbit//}
      `),
    };

    expect(ruleFindings(RULE, files)).toEqual([
      { ruleId: RULE, file: 'config/system_config.yaml', line: 3, column: 15, severity: 'error' },
      { ruleId: RULE, file: 'config/system_config.yaml', line: 5, column: 25, severity: 'error' },
      { ruleId: RULE, file: 'config/system_config.yaml', line: 6, column: 13, severity: 'error' },
      { ruleId: RULE, file: 'config/system_config.yaml', line: 8, column: 12, severity: 'error' },
      { ruleId: RULE, file: 'config/system_config.yaml', line: 9, column: 13, severity: 'error' },
      { ruleId: RULE, file: 'config/system_config.yaml', line: 10, column: 9, severity: 'error' },
    ]);
    expect(messages(files)).toEqual([
      '`system.secret_key` holds a literal secret; reference an environment variable such as `${SYSTEM_SECRET_KEY}` instead.',
      '`database.url` holds a URL with a literal password; take the password (or the whole URL) from an environment variable such as `${DATABASE_URL}`.',
      '`database.password` holds a literal secret; reference an environment variable such as `${DATABASE_PASSWORD}` instead.',
      '`stripe.api_key` holds a literal secret; reference an environment variable such as `${STRIPE_API_KEY}` instead.',
      '`auth_token` falls back to a literal secret when `AUTH_TOKEN` is unset; remove the default from `${AUTH_TOKEN}`.',
      '`broker` falls back to a literal secret when `BROKER_URL` is unset; remove the default from `${BROKER_URL}`.',
    ]);
  });

  test('reports in any file named like config', () => {
    expect(ruleFindings(RULE, { 'app_config.yml': 'services:\n  - name: billing\n    token: abc123\n' })).toEqual([
      { ruleId: RULE, file: 'app_config.yml', line: 3, column: 12, severity: 'error' },
    ]);
  });

  test('silent: environment references and empty values', () => {
    const files = {
      'config/system_config.yaml': dedent(`
        secret_key: \${SECRET_KEY}
        database:
          url: \${DATABASE_URL}
          dsn: postgresql://app:\${DATABASE_PASSWORD}@db/orders
          replica: postgresql://reader@db/orders
          password:
          api_key: ""
          token: ~
          password_min_length: 12
          token_header: X-Token
          secret_key_file: /run/secrets/key
          require_password: true
          private_key: \${PRIVATE_KEY:?set PRIVATE_KEY}
          access_key: <your-access-key>
        vault_password: !vault |
          $ANSIBLE_VAULT;1.1;AES256
          6231
      `),
    };

    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('silent outside configuration files', () => {
    const files = {
      'deploy/values.yaml': 'secret_key: dev-secret\n',
      'k8s/secret.yaml': 'apiVersion: v1\nkind: Secret\nstringData:\n  password: hunter2\n',
      'docker-compose.yml': 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: example\n',
    };

    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});
