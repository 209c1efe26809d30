import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

describe('benchmark scripts', () => {
  test('corpus generator is deterministic', () => {
    const generate = (out: string) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'generate-corpus.mjs'), '--systems', '30', '--out', out], { encoding: 'utf8' });
    const first = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-corpus-'));
    const second = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-corpus-'));
    const contents = (folder: string) =>
      fs
        .readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter((relPath) => fs.statSync(path.join(folder, relPath)).isFile())
        .sort()
        .map((relPath) => `${relPath}\n${fs.readFileSync(path.join(folder, relPath), 'utf8')}`);

    expect(generate(first).stdout).toMatch(/^Wrote 30 systems, \d+ files, [\d.]+ MB/);
    expect(generate(second).status).toBe(0);
    expect(contents(first).length).toBeGreaterThan(100);
    expect(contents(first)).toEqual(contents(second));
  });

  test('generator keeps foreign folders', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-corpus-'));
    fs.writeFileSync(path.join(folder, 'keep.txt'), 'not a corpus\n');
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'generate-corpus.mjs'), '--systems', '2', '--out', folder], { encoding: 'utf8' });

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('is not empty and was not written by generate-corpus.mjs');
    expect(fs.readFileSync(path.join(folder, 'keep.txt'), 'utf8')).toBe('not a corpus\n');
  });

  test('bench runs on a tiny corpus', () => {
    const args = ['--systems', '3', '--repetitions', '1', '--skip-large', '--skip-bandit'];
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bench.mjs'), ...args], { encoding: 'utf8', timeout: 120_000 });

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\| parse floor \(1 thread\) \| [\d.]+ s \|/m);
    expect(result.stdout).toMatch(/^\| prodcheck \| [\d.]+ s \|/m);
    expect(result.stdout).toMatch(/^prodcheck \/ parse floor \(wall\): [\d.]+/m);
    expect(result.stdout).toMatch(/^one fixture-size system: [\d.]+ s wall/m);
  });
});
