import { formatStatistics } from '../../src/report/statistics';
import type { ReportedFinding } from '../../src/report/stylish';

function findingOf(ruleId: string): ReportedFinding {
  return { ruleId, severity: 'warning', message: 'm', file: 'main.py', line: 1, column: 1, endLine: 1, endColumn: 2, start: 0, end: 1 };
}

const DESCRIPTIONS = new Map([
  ['flask-dev-server', 'The Werkzeug development server runs in production'],
  ['dockerfile-user-root', 'Final stage runs as root'],
]);

describe('statistics', () => {
  test('most frequent first', () => {
    const findings = ['dockerfile-user-root', 'flask-dev-server', 'flask-dev-server', 'unknown-rule'].map(findingOf);

    expect(formatStatistics(findings, DESCRIPTIONS)).toBe(
      [
        '',
        'Findings by rule:',
        '  2  flask-dev-server      The Werkzeug development server runs in production',
        '  1  dockerfile-user-root  Final stage runs as root',
        '  1  unknown-rule',
        '',
      ].join('\n'),
    );
  });

  test('counts pad to widest', () => {
    const findings = [...Array.from({ length: 10 }, () => findingOf('flask-dev-server')), findingOf('dockerfile-user-root')];
    const lines = formatStatistics(findings, DESCRIPTIONS).split('\n');

    expect(lines[2]).toMatch(/^ {2}10 {2}flask-dev-server/);
    expect(lines[3]).toMatch(/^ {3}1 {2}dockerfile-user-root/);
  });

  test('no findings, empty', () => {
    expect(formatStatistics([], DESCRIPTIONS)).toBe('');
  });
});
