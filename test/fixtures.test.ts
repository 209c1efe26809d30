import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverSystem, readSystemFile } from '../src/discovery';
import { checkSystem } from '../src/engine';
import { expectedFindings } from './expectations';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const systems = fs
  .readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function check(name: string) {
  const root = path.join(FIXTURES, name);
  const discovered = discoverSystem(root);
  const result = checkSystem({
    root,
    files: discovered.files,
    skipped: discovered.skipped,
    load: (relPath, kind) => readSystemFile(root, relPath, kind),
  });
  return { discovered, findings: result.findings };
}

describe.each(systems)('fixture %s', (name) => {
  test('findings match markers', () => {
    const { discovered, findings } = check(name);
    const actual = findings.map((finding) => `${finding.file}:${finding.line}:${finding.ruleId}`).sort();
    const expected = discovered.files.flatMap(expectedFindings).sort();

    const missing = expected.filter((key) => !actual.includes(key));
    const unexpected = actual.filter((key) => !expected.includes(key));
    expect({ missing, unexpected }).toEqual({ missing: [], unexpected: [] });
  });

  test('no errors when production-grade', () => {
    if (name.startsWith('dev-')) return;
    const { findings } = check(name);
    const blocking = findings.filter((finding) => finding.severity !== 'info');
    expect(blocking.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`)).toEqual([]);
  });
});

test('fixture set complete', () => {
  expect(systems).toEqual(
    expect.arrayContaining(['dev-server', 'dev-factory', 'dev-async-store', 'production', 'trap-utf16-requirements', 'trap-hash-pinned-lock']),
  );
});
