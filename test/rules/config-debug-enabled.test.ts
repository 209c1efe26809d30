import { checkFiles, dedent, ruleFindings } from '../helpers';

const RULE = 'config-debug-enabled';

function messages(files: Record<string, string>): string[] {
  return checkFiles(files, [RULE]).filter((finding) => finding.ruleId === RULE).map((finding) => finding.message);
}

describe(RULE, () => {
  test.each([
    ['debug true', 'debug: true\n', 1, 8],
    ['quoted one', 'app:\n  DEBUG: "1"\n', 2, 10],
    ['yes', 'flask_debug: yes\n', 1, 14],
    ['debug mode on', 'server:\n  debug_mode: on\n', 2, 15],
    ['integer one', 'debug: 1\n', 1, 8],
    ['true default', 'debug: ${DEBUG:-true}\n', 1, 8],
  ])('reports %s', (_name, text, line, column) => {
    expect(ruleFindings(RULE, { 'config/system_config.yaml': text })).toEqual([
      { ruleId: RULE, file: 'config/system_config.yaml', line, column, severity: 'error' },
    ]);
  });

  test('messages', () => {
    const files = { 'config/system_config.yaml': 'app:\n  debug: "true"\nflask_debug: ${FLASK_DEBUG:-1}\n' };

    expect(messages(files)).toEqual([
      '`app.debug: "true"` turns debug mode on in production configuration, which serves the Werkzeug debugger that runs any Python code sent to it.',
      '`flask_debug` turns debug mode on when `FLASK_DEBUG` is unset, because its default is `1`.',
    ]);
  });

  test.each([
    ['false', { 'config/system_config.yaml': 'debug: false\nDEBUG: "0"\n' }],
    ['environment reference', { 'config/system_config.yaml': 'debug: ${DEBUG}\n' }],
    ['false default', { 'config/system_config.yaml': 'debug: ${DEBUG:-false}\n' }],
    ['development file', { 'config/development.yaml': 'debug: true\n', 'config/settings_test.yaml': 'debug: true\n', 'local_config.yaml': 'debug: true\n' }],
    [
      'development section',
      {
        'config/system_config.yaml': dedent(`
          environments:
            development:
              debug: true
            production:
              debug: false
        `),
      },
    ],
    ['logging section', { 'config/system_config.yaml': 'logging:\n  loggers:\n    sqlalchemy:\n      debug: true\n' }],
    ['other keys', { 'config/system_config.yaml': 'debug_toolbar_enabled: true\nlog_level: debug\n' }],
    ['not configuration', { 'deploy/values.yaml': 'debug: true\n', '.pre-commit-config.yaml': 'debug: true\n' }],
  ])('silent: %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});
