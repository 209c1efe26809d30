import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-base-image-not-slim';

function findings(dockerfile: string) {
  return ruleFindings(RULE, { Dockerfile: dockerfile }).map(({ line, column, severity }) => ({ line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['minor version', 'FROM python:3.12\n', 1, 6],
    ['patch version', 'FROM python:3.12.4\n', 1, 6],
    ['debian release', 'FROM python:3.11-bookworm\n', 1, 6],
    ['docker hub prefix', 'FROM docker.io/library/python:3.12\n', 1, 6],
    ['through arg', 'ARG PY=3.12\nFROM python:${PY}\n', 2, 6],
    ['through parent stage', 'FROM python:3.12 AS base\nFROM base\nCMD ["gunicorn", "app:app"]\n', 1, 6],
  ])('reports %s', (_name, dockerfile, line, column) => {
    expect(findings(dockerfile)).toEqual([{ line, column, severity: 'info' }]);
  });

  test.each([
    ['slim', 'FROM python:3.12-slim\n'],
    ['slim release', 'FROM python:3.12-slim-bookworm\n'],
    ['alpine', 'FROM python:3.12-alpine\n'],
    ['full image in builder only', 'FROM python:3.12 AS build\nRUN pip wheel -w /w flask\n\nFROM python:3.12-slim\nCOPY --from=build /w /w\n'],
    ['untagged left to unpinned rule', 'FROM python\n'],
    ['other image', 'FROM debian:bookworm\n'],
    ['unresolved', 'ARG PY\nFROM python:${PY}\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings(dockerfile)).toEqual([]);
  });

  test('message suggests slim tag', () => {
    expect(checkFiles({ Dockerfile: 'FROM python:3.11-bookworm\n' }, [RULE]).map((finding) => finding.message)).toEqual([
      '`python:3.11-bookworm` is the full Debian image with compilers and build headers; `python:3.11-slim-bookworm` runs the same Python in a much smaller image.',
    ]);
  });
});
