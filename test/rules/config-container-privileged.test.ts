import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'config-container-privileged';

/** Returns a Pod whose one container ends with `containerContext`, written at its final indentation. */
function pod(containerContext: string): string {
  return ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: api', 'spec:', '  containers:', '    - name: api', '      image: api:1.0', containerContext, ''].join('\n');
}

describe(RULE, () => {
  test.each<[string, Record<string, string>, Array<[string, number, number]>]>([
    ['compose privileged', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    privileged: true\n' }, [['docker-compose.yml', 4, 17]]],
    ['compose cap_add ALL', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    cap_add:\n      - ALL\n' }, [['docker-compose.yml', 5, 7]]],
    ['kubernetes privileged', { 'pod.yaml': pod('      securityContext:\n        privileged: true') }, [['pod.yaml', 10, 21]]],
    ['kubernetes SYS_ADMIN', { 'pod.yaml': pod('      securityContext:\n        capabilities:\n          add: ["SYS_ADMIN"]') }, [['pod.yaml', 11, 11]]],
  ])('reports %s', (_name, files, expected) => {
    expect(ruleFindings(RULE, files).map((finding) => [finding.file, finding.line, finding.column])).toEqual(expected);
  });

  test('messages', () => {
    const files = { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    privileged: true\n    cap_add: [SYS_ADMIN]\n' };

    expect(checkFiles(files, [RULE]).map((finding) => finding.message)).toEqual([
      'compose service `web` runs privileged: the container has every capability and every host device.',
      'compose service `web` adds the `SYS_ADMIN` capability, which gives it nearly everything `privileged` does.',
    ]);
  });

  test.each<[string, Record<string, string>]>([
    ['privileged false', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    privileged: false\n' }],
    ['narrow capability', { 'docker-compose.yml': 'services:\n  web:\n    build: .\n    cap_add: [NET_BIND_SERVICE]\n' }],
    ['capabilities dropped', { 'pod.yaml': pod('      securityContext:\n        capabilities:\n          drop: ["ALL"]') }],
    ['allowPrivilegeEscalation only', { 'pod.yaml': pod('      securityContext:\n        allowPrivilegeEscalation: false') }],
    ['development compose', { 'docker-compose.dev.yml': 'services:\n  web:\n    privileged: true\n' }],
    ['key in config yaml', { 'config/system_config.yaml': 'privileged: true\n' }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });
});
