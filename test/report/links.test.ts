import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findRepositoryRoot, linksFromManifest, projectLinks } from '../../src/report/links';

describe('project links', () => {
  test('github repository url', () => {
    expect(linksFromManifest({ repository: { type: 'git', url: 'git+https://github.com/acme/prodcheck.git' } })).toEqual({
      informationUri: 'https://github.com/acme/prodcheck',
      ruleDocsBaseUri: 'https://github.com/acme/prodcheck/blob/HEAD/docs/rules/',
    });
  });

  test('gitlab shorthand', () => {
    expect(linksFromManifest({ repository: 'gitlab:acme/prodcheck' }).ruleDocsBaseUri).toBe('https://gitlab.com/acme/prodcheck/-/blob/HEAD/docs/rules/');
  });

  test('homepage wins for information', () => {
    const links = linksFromManifest({ homepage: 'https://prodcheck.example', repository: 'acme/prodcheck' });

    expect(links.informationUri).toBe('https://prodcheck.example');
    expect(links.ruleDocsBaseUri).toBe('https://github.com/acme/prodcheck/blob/HEAD/docs/rules/');
  });

  test.each([
    [{}],
    [{ homepage: 'http://insecure.example' }],
    [{ repository: 'https://git.example.com/acme/prodcheck.git' }],
    [{ repository: 42 }],
  ])('no link from %j', (manifest) => {
    expect(linksFromManifest(manifest).ruleDocsBaseUri).toBeUndefined();
  });

  test('this package has no public address', () => {
    // package.json names no homepage or repository, so SARIF carries no links.
    expect(projectLinks()).toEqual({});
  });
});

describe('repository root', () => {
  test('nearest git folder above', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-links-'));
    fs.mkdirSync(path.join(folder, 'repo', '.git'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'repo', 'services', 'orders'), { recursive: true });

    expect(findRepositoryRoot(path.join(folder, 'repo', 'services', 'orders'), '/fallback')).toBe(path.join(folder, 'repo'));
  });

  test('git file of a worktree', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-links-'));
    fs.writeFileSync(path.join(folder, '.git'), 'gitdir: /elsewhere\n');

    expect(findRepositoryRoot(folder, '/fallback')).toBe(folder);
  });

  test('no git folder, fallback', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-links-'));
    const root = findRepositoryRoot(folder, '/fallback');

    // The temporary folder lies in no repository unless the machine keeps one above it.
    expect(root === '/fallback' || fs.existsSync(path.join(root, '.git'))).toBe(true);
  });
});
