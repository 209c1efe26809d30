import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifyPath, listTree } from '../src/discovery';

describe('classifyPath', () => {
  test.each<[string, string | null]>([
    ['main.py', 'python'],
    ['gunicorn.conf.py', 'gunicorn-config'],
    ['services/api/Dockerfile.prod', 'dockerfile'],
    ['requirements/base.txt', 'requirements'],
    ['docker-compose.prod.yml', 'compose'],
    ['k8s/deployment.yaml', 'yaml'],
    ['chart/values.yaml', 'yaml'],
    ['chart/templates/deployment.yaml', null],
    ['chart/templates/tests/test-connection.yml', null],
    ['.prodcheck.yaml', null],
    ['services/api/.prodcheck.yml', null],
    ['app/templates/index.html', null],
    ['README.md', null],
  ])('%s', (relPath, kind) => {
    expect(classifyPath(relPath)).toBe(kind);
  });
});

describe('listTree links', () => {
  function tree(): string {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-links-'));
    fs.mkdirSync(path.join(folder, 'a', 'b'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'shared'));
    fs.writeFileSync(path.join(folder, 'a', 'mod.py'), 'x = 1\n');
    fs.writeFileSync(path.join(folder, 'shared', 'util.py'), 'y = 2\n');
    return folder;
  }

  test('link to a containing folder not followed', () => {
    const folder = tree();
    fs.symlinkSync('..', path.join(folder, 'a', 'b', 'up'));
    fs.symlinkSync('../..', path.join(folder, 'a', 'b', 'top'));

    expect(listTree(folder).files.map((file) => file.relPath)).toEqual(['a/mod.py', 'shared/util.py']);
  });

  test('linked folder listed once', () => {
    const folder = tree();
    fs.symlinkSync('../shared', path.join(folder, 'a', 'lib'));

    expect(listTree(folder).files.map((file) => file.relPath)).toEqual(['a/lib/util.py', 'a/mod.py']);
  });

  test('link after its folder not followed', () => {
    const folder = tree();
    fs.symlinkSync('../a', path.join(folder, 'shared', 'alias'));

    expect(listTree(folder).files.map((file) => file.relPath)).toEqual(['a/mod.py', 'shared/util.py']);
  });
});
