import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'config-container-root';

/** Returns a Deployment whose pod spec starts with `podContext` and whose one container ends with `containerContext`, both written at their final indentation. */
function deployment(podContext: string, containerContext: string): string {
  const lines = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', '  template:', '    spec:', podContext, '      containers:', '        - name: api', '          image: api:1.0', containerContext];
  return `${lines.filter((line) => line !== '').join('\n')}\n`;
}

describe(RULE, () => {
  test.each<[string, Record<string, string>, Array<[string, number, number]>]>([
    ['compose root', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    user: root\n' }, [['docker-compose.yml', 4, 11]]],
    ['compose uid 0 and group', { 'compose.yaml': 'services:\n  web:\n    image: api:1.0\n    user: "0:0"\n' }, [['compose.yaml', 4, 11]]],
    ['compose number 0', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    user: 0\n' }, [['docker-compose.yml', 4, 11]]],
    ['container runAsUser 0', { 'deploy.yaml': deployment('', '          securityContext:\n            runAsUser: 0') }, [['deploy.yaml', 12, 24]]],
    ['pod runAsUser 0', { 'deploy.yaml': deployment('      securityContext:\n        runAsUser: 0', '') }, [['deploy.yaml', 9, 20]]],
  ])('reports %s', (_name, files, expected) => {
    expect(ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column])).toEqual(expected);
  });

  test('messages', () => {
    const files = {
      'docker-compose.yml': 'services:\n  web:\n    build: .\n    user: root\n',
      'deploy.yaml': deployment('', '          securityContext:\n            runAsUser: 0'),
    };

    expect(checkFiles(files, [RULE]).map((finding) => finding.message)).toEqual([
      'Kubernetes container `api of Deployment web` has `runAsUser: 0`, so it runs as root whatever user the image names.',
      'compose service `web` sets `user: root`, so the container runs as root whatever user the image names.',
    ]);
  });

  test.each<[string, Record<string, string>]>([
    ['compose non-root user', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    user: "10001:10001"\n' }],
    ['compose user from a variable', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    user: ${APP_UID:-10001}\n' }],
    ['user named rootless', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    user: rootless\n' }],
    ['override file', { 'docker-compose.override.yml': 'services:\n  web:\n    user: root\n' }],
    ['development compose', { 'compose.dev.yaml': 'services:\n  web:\n    user: root\n' }],
    ['container overrides pod', { 'deploy.yaml': deployment('      securityContext:\n        runAsUser: 0', '          securityContext:\n            runAsUser: 10001') }],
    ['runAsGroup 0 only', { 'deploy.yaml': deployment('', '          securityContext:\n            runAsUser: 10001\n            runAsGroup: 0') }],
    ['no user anywhere', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n', 'deploy.yaml': deployment('', '') }],
    ['user key in config yaml', { 'config/system_config.yaml': 'database:\n  user: root\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});
