import { buildYamlModel } from '../../src/model/yaml';
import { systemFromMemory } from '../../src/system';

function build(files: Record<string, string>) {
  return buildYamlModel(systemFromMemory(files).files);
}

describe('YAML model', () => {
  test('roles', () => {
    const model = build({
      'docker-compose.yml': 'services:\n  web:\n    image: x\n',
      'k8s/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\n---\napiVersion: v1\nkind: Service\n',
      'config/system.yaml': 'debug: false\n',
      'app_config.yml': 'name: x\n',
      'deploy/settings.yaml': 'name: x\n',
      '.pre-commit-config.yaml': 'repos: []\n',
    });
    const roles = model.documents.map((document) => [document.file.relPath, document.role]);

    expect(roles).toEqual([
      ['docker-compose.yml', 'compose'],
      ['k8s/deployment.yaml', 'kubernetes'],
      ['k8s/deployment.yaml', 'kubernetes'],
      ['config/system.yaml', 'config'],
      ['app_config.yml', 'config'],
      ['deploy/settings.yaml', 'other'],
      ['.pre-commit-config.yaml', 'other'],
    ]);
  });

  test('Kubernetes manifest under config is kubernetes', () => {
    const model = build({ 'config/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\n' });

    expect(model.documents[0].role).toBe('kubernetes');
  });

  test('problems of every file collected', () => {
    const model = build({ 'config/a.yaml': 'a: [\n', 'config/b.yaml': 'b: 1\n', 'main.py': 'x = 1\n' });

    expect(model.documents.map((document) => document.file.relPath)).toEqual(['config/b.yaml']);
    expect(model.problems.map((problem) => problem.location.file.relPath)).toEqual(['config/a.yaml']);
  });

  test('entries filled', () => {
    const model = build({ 'config/app.yaml': 'database:\n  password: ${DATABASE_PASSWORD}\n' });

    expect(model.documents[0].entries.map((entry) => entry.path)).toEqual([['database'], ['database', 'password']]);
  });
});
