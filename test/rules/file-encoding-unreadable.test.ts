import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { ExampleFile } from '../../src/rule';
import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'file-encoding-unreadable';
const BIN = path.join(__dirname, '..', '..', 'bin', 'prodcheck.mjs');

const MAIN = 'from flask import Flask\n\napp = Flask(__name__)\n';

function utf16(text: string, bom = true, encoding: 'utf16le' | 'utf16be' = 'utf16le'): ExampleFile {
  return { text, encoding, bom };
}

describe(RULE, () => {
  test.each<[string, Record<string, ExampleFile>, string[]]>([
    ['Python module', { 'main.py': utf16(MAIN) }, ['main.py']],
    ['Python module without a mark', { 'main.py': utf16(MAIN, false) }, ['main.py']],
    ['big-endian module', { 'main.py': utf16(MAIN, true, 'utf16be') }, ['main.py']],
    ['Gunicorn config', { 'gunicorn.conf.py': utf16('bind = "0.0.0.0:8000"\n') }, ['gunicorn.conf.py']],
    ['Dockerfile', { Dockerfile: utf16('FROM python:3.12-slim\n') }, ['Dockerfile']],
    ['entrypoint script', { Dockerfile: 'FROM python:3.12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n', 'entrypoint.sh': utf16('#!/bin/sh\nexec "$@"\n') }, ['entrypoint.sh']],
    ['requirements without a mark', { 'requirements.txt': utf16('flask==3.1.3\n', false) }, ['requirements.txt']],
    ['pyproject', { 'pyproject.toml': utf16('[project]\nname = "api"\n') }, ['pyproject.toml']],
  ])('reports %s', (_name, files, expected) => {
    const findings = ruleFindings(RULE, files);

    expect(findings.map((finding) => finding.file)).toEqual(expected);
    expect(findings.map((finding) => [finding.line, finding.column])).toEqual(expected.map(() => [1, 1]));
  });

  test('messages', () => {
    const files = { 'main.py': utf16(MAIN), 'requirements.txt': utf16('flask==3.1.3\n', false) };

    expect(checkFiles(files, [RULE]).map((finding) => finding.message)).toEqual([
      '`main.py` is saved as UTF-16, but Python reads it as UTF-8 and fails on it; save it as UTF-8.',
      "`requirements.txt` is saved as UTF-16 without a byte order mark, so pip reads it as UTF-8 (or the locale's encoding) and fails on it; save it as UTF-8.",
    ]);
  });

  test.each<[string, Record<string, ExampleFile>]>([
    ['UTF-8 files', { 'main.py': MAIN, Dockerfile: 'FROM python:3.12-slim\n' }],
    ['UTF-8 with a mark', { 'main.py': { text: MAIN, encoding: 'utf8', bom: true } }],
    ['requirements with a mark', { 'requirements.txt': utf16('flask==3.1.3\n') }],
    ['big-endian requirements with a mark', { 'requirements.txt': utf16('flask==3.1.3\n', true, 'utf16be') }],
    ['YAML', { 'docker-compose.yml': utf16('services:\n  web:\n    build: .\n') }],
  ])('silent on %s', (_name, files) => {
    expect(ruleFindings(RULE, files)).toEqual([]);
  });

  test('files on disk', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'prodcheck-encoding-'));
    fs.writeFileSync(path.join(folder, 'main.py'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MAIN, 'utf16le')]));
    fs.writeFileSync(path.join(folder, 'requirements.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('flask==3.1.3\r\n', 'utf16le')]));
    const result = spawnSync(process.execPath, [BIN, folder, '--format', 'json'], { encoding: 'utf8' });
    const findings: Array<{ ruleId: string; file: string }> = JSON.parse(result.stdout).systems.flatMap((system: { findings: unknown[] }) => system.findings);

    expect(findings.filter((finding) => finding.ruleId === RULE).map((finding) => finding.file)).toEqual(['main.py']);
    expect(result.status).toBe(1);
    fs.rmSync(folder, { recursive: true, force: true });
  });
});
