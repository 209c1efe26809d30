#!/usr/bin/env node
// Writes a corpus of hostile and broken inputs, one system folder per case, for the robustness
// tests: truncated, random, mis-encoded and oversized files of every kind prodcheck reads, deep
// nesting, include cycles, YAML alias bombs, link loops. Usage:
//   node scripts/generate-hostile-corpus.mjs OUTPUT_FOLDER [--seed N]
// The same seed always writes the same bytes.
import { chmodSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [output, ...options] = process.argv.slice(2);
if (!output) {
  process.stderr.write('usage: node scripts/generate-hostile-corpus.mjs OUTPUT_FOLDER [--seed N]\n');
  process.exit(2);
}
const seedIndex = options.indexOf('--seed');
let state = seedIndex >= 0 ? Number(options[seedIndex + 1]) >>> 0 || 1 : 20261204;

/** A small deterministic generator (xorshift32), so a failing case can be written again. */
function random() {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 0x100000000;
}

function randomBytes(length) {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) bytes[index] = Math.floor(random() * 256);
  return bytes;
}

const cases = [];
function addCase(name, files, after) {
  cases.push({ name, files, after });
}

/** Sample files of each kind, taken from the dev-grade fixture. */
const samples = {
  'main.py': readFileSync(join(root, 'fixtures/dev-server/main.py')),
  Dockerfile: readFileSync(join(root, 'fixtures/dev-server/Dockerfile')),
  'requirements.txt': readFileSync(join(root, 'fixtures/production/requirements.txt')),
  'config/system_config.yaml': readFileSync(join(root, 'fixtures/dev-server/config/system_config.yaml')),
  'gunicorn.conf.py': readFileSync(join(root, 'fixtures/production/gunicorn.conf.py')),
  'docker-compose.yml': readFileSync(join(root, 'fixtures/dev-factory/docker-compose.yml')),
};

for (const [file, bytes] of Object.entries(samples)) {
  const slug = file.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  for (const fraction of [0.1, 0.37, 0.5, 0.83]) {
    addCase(`truncated-${slug}-${Math.round(fraction * 100)}`, { [file]: bytes.subarray(0, Math.floor(bytes.length * fraction)) });
  }
  addCase(`random-${slug}`, { [file]: randomBytes(4096) });
  addCase(`invalid-utf8-${slug}`, { [file]: Buffer.concat([bytes.subarray(0, 40), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]), bytes.subarray(40)]) });
  addCase(`utf16-bom-${slug}`, { [file]: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]) });
  addCase(`utf16-no-bom-${slug}`, { [file]: Buffer.from(bytes.toString('utf8'), 'utf16le') });
  addCase(`nul-bytes-${slug}`, { [file]: Buffer.concat([bytes.subarray(0, 20), Buffer.from([0, 0, 0]), bytes.subarray(20)]) });
  addCase(`crlf-${slug}`, { [file]: Buffer.from(bytes.toString('utf8').replace(/\n/g, '\r\n')) });
  addCase(`lone-cr-${slug}`, { [file]: Buffer.from(bytes.toString('utf8').replace(/\n/g, '\r')) });
  addCase(`empty-${slug}`, { [file]: Buffer.alloc(0) });
  addCase(`mixed-line-endings-${slug}`, { [file]: Buffer.from(bytes.toString('utf8').split('\n').map((line, index) => line + ['\n', '\r\n', '\r'][index % 3]).join('')) });
  const middle = Math.floor(bytes.length / 2);
  addCase(`unbalanced-${slug}`, { [file]: Buffer.concat([bytes.subarray(0, middle), Buffer.from('(["{\'"""${'), bytes.subarray(middle)]) });
}

// Temporary files that a `--fix` run killed before its rename leaves beside the files it fixes.
addCase('fix-temporaries-left', {
  'main.py': samples['main.py'],
  '.main.py.prodcheck-4242-0badf00d.tmp': samples['main.py'].subarray(0, 100),
  'config/.system_config.yaml.prodcheck-4242-deadbeef.tmp': 'debug: [\n',
});

const depth = 5000;
addCase('deep-python-expression', { 'main.py': `x = ${'('.repeat(depth)}1${')'.repeat(depth)}\n` });
addCase('deep-python-calls', { 'main.py': `from flask import Flask\napp = Flask(__name__)\nx = ${'f('.repeat(depth)}1${')'.repeat(depth)}\n` });
addCase('deep-python-attributes', { 'main.py': `x = a${'.b'.repeat(depth)}\ny = a${'.b'.repeat(depth)}()\n` });
addCase('deep-python-blocks', {
  'main.py': Array.from({ length: depth }, (_, level) => `${' '.repeat(level)}if x:\n`).join('') + `${' '.repeat(depth)}pass\n`,
});
addCase('deep-python-functions', {
  'main.py': Array.from({ length: 500 }, (_, level) => `${'    '.repeat(level)}def f${level}(app):\n`).join('') + `${'    '.repeat(500)}app.run(debug=True)\n`,
});
addCase('huge-file', { 'main.py': Buffer.alloc(50 * 1024 * 1024, 'x = 1\n') });
addCase('long-requirements', {
  'requirements.txt': Array.from({ length: 100_000 }, (_, index) => `package-${index}==1.0.${index}`).join('\n') + '\n',
  'main.py': 'import flask\n',
});
addCase('requirements-include-cycle', {
  'requirements.txt': '-r requirements-a.txt\nflask==3.1.1\n',
  'requirements-a.txt': '-r requirements-b.txt\n',
  'requirements-b.txt': '-r requirements.txt\n-c requirements-a.txt\n',
});
addCase('requirements-include-escape', { 'requirements.txt': '-r ../../../../etc/passwd\n-r /etc/hostname\nflask==3.1.1\n' });
addCase('yaml-alias-bomb', {
  'config/bomb.yaml':
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' +
    Array.from({ length: 9 }, (_, index) => {
      const name = String.fromCharCode(98 + index);
      const previous = String.fromCharCode(97 + index);
      return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
    }).join(''),
});
addCase('yaml-proto-and-tags', {
  'config/app.yaml': '__proto__:\n  polluted: true\nconstructor:\n  prototype:\n    polluted: true\nsecret: !!python/object/apply:os.system ["touch /tmp/prodcheck-pwned"]\nref: !Ref Other\ndate: !!timestamp 2026-12-04\n',
  'docker-compose.yml': 'services:\n  web: !reset null\n  __proto__: {}\n',
});
addCase('yaml-recursive-alias', { 'config/loop.yaml': '&a [*a]\n' });
addCase('dockerfile-continuations', {
  Dockerfile: `FROM python:3.12-slim\nRUN echo start \\\n${Array.from({ length: 10_000 }, (_, index) => `  && echo ${index} \\`).join('\n')}\n  && echo done\nCMD ["gunicorn", "main:app"]\n`,
});
addCase('dockerfile-heredoc-unterminated', { Dockerfile: 'FROM python:3.12-slim\nRUN <<EOF\nfrom x import y\nUSER root\n' });
addCase('dockerfile-directives', { Dockerfile: '\ufeff# escape=`\r\n# syntax=docker/dockerfile:1\r\nFROM python:3.12-slim\r\nRUN echo a `\r\n  b\r\nCMD ["gunicorn", "main:app"]\r\n' });
addCase('folder-named-dockerfile', { 'Dockerfile/readme.txt': 'not a Dockerfile\n', 'main.py': 'x = 1\n' });
addCase('folder-named-requirements', { 'requirements.txt/inner.txt': 'flask\n', 'main.py': 'import flask\n' });
addCase('never-execute', {
  'gunicorn.conf.py': 'import os\nopen("/tmp/prodcheck-executed-config", "w").write("ran")\nos.system("touch /tmp/prodcheck-executed-config")\nbind = "0.0.0.0:8000"\n',
  'setup.py': 'import os\nos.system("touch /tmp/prodcheck-executed-setup")\n',
  'main.py': '__import__("os").system("touch /tmp/prodcheck-executed-main")\n',
  'config/app.yaml': 'x: !!python/object/apply:os.system ["touch /tmp/prodcheck-executed-yaml"]\n',
  Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
});
addCase('symlink-loop', { 'main.py': 'x = 1\n' }, (folder) => {
  mkdirSync(join(folder, 'a'), { recursive: true });
  symlinkSync('..', join(folder, 'a', 'up'));
  symlinkSync('loop-b', join(folder, 'loop-a'));
  symlinkSync('loop-a', join(folder, 'loop-b'));
  symlinkSync('self.py', join(folder, 'self.py'));
});
addCase('symlink-outside', { 'main.py': 'x = 1\n' }, (folder) => {
  symlinkSync('/etc/hostname', join(folder, 'requirements.txt'));
  symlinkSync('/etc', join(folder, 'etc-link'));
});
addCase('unreadable', { 'main.py': 'x = 1\n', 'private/secret.py': 'y = 2\n', 'requirements.txt': 'flask\n' }, (folder) => {
  chmodSync(join(folder, 'requirements.txt'), 0o000);
  chmodSync(join(folder, 'private'), 0o000);
});

for (const { name, files, after } of cases) {
  const folder = join(output, name);
  mkdirSync(folder, { recursive: true });
  for (const [relPath, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, relPath)), { recursive: true });
    writeFileSync(join(folder, relPath), content);
  }
  if (after) after(folder);
}
process.stdout.write(`Wrote ${cases.length} cases to ${output}: ${readdirSync(output).length} folders.\n`);
