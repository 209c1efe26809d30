import { checkFiles, ruleFindings } from '../helpers';

const RULE = 'dockerfile-base-image-unpinned';

function findings(files: Record<string, string>) {
  return ruleFindings(RULE, files).map(({ file, line, column, severity }) => ({ file, line, column, severity }));
}

describe(RULE, () => {
  test.each([
    ['untagged', 'FROM python\n', 1, 6, 'warning'],
    ['latest', 'FROM python:latest\n', 1, 6, 'warning'],
    ['registry with port untagged', 'FROM registry.local:5000/team/app\n', 1, 6, 'warning'],
    ['platform flag', 'FROM --platform=$BUILDPLATFORM python AS build\n', 1, 32, 'warning'],
    ['arg default resolves to latest', 'ARG TAG=latest\nFROM python:${TAG}\n', 2, 6, 'warning'],
    ['arg without default', 'ARG PY\nFROM python:${PY}-slim\n', 2, 6, 'info'],
    ['undeclared arg', 'FROM python:${PY_VERSION}\n', 1, 6, 'info'],
    ['builder stage unpinned', 'FROM node AS assets\n\nFROM python:3.12-slim\n', 1, 6, 'warning'],
    ['lower-case from', 'from python\n', 1, 6, 'warning'],
    ['crlf', 'FROM python\r\nCMD ["gunicorn"]\r\n', 1, 6, 'warning'],
  ])('reports %s', (_name, dockerfile, line, column, severity) => {
    expect(findings({ Dockerfile: dockerfile })).toEqual([{ file: 'Dockerfile', line, column, severity }]);
  });

  test('reports every Dockerfile', () => {
    const result = findings({ Dockerfile: 'FROM python:3.12-slim\n', 'docker/worker.Dockerfile': 'FROM python\n' });
    expect(result).toEqual([{ file: 'docker/worker.Dockerfile', line: 1, column: 6, severity: 'warning' }]);
  });

  test.each([
    ['version tag', 'FROM python:3.12-slim\n'],
    ['digest', 'FROM python@sha256:4d9b6d8a1b9a07c1e3b2c7f0a5ad9ed47e63a2d3a6f6d8a0e1f1b6a7c0f5e9d2\n'],
    ['latest with digest', 'FROM python:latest@sha256:4d9b6d8a1b9a07c1e3b2c7f0a5ad9ed47e63a2d3a6f6d8a0e1f1b6a7c0f5e9d2\n'],
    ['stage alias', 'FROM python:3.12-slim AS base\nFROM base\n'],
    ['stage alias through arg', 'ARG BASE=base\nFROM python:3.12-slim AS base\nFROM ${BASE}\n'],
    ['scratch', 'FROM golang:1.22 AS build\nFROM scratch\n'],
    ['arg default tag', 'ARG PY=3.12\nFROM python:${PY}-slim\n'],
    ['arg default form', 'FROM python:${PY:-3.12}-slim\n'],
    ['heredoc body from line', 'FROM python:3.12-slim\nRUN <<EOF\nFROM python\nEOF\n'],
  ])('silent for %s', (_name, dockerfile) => {
    expect(findings({ Dockerfile: dockerfile })).toEqual([]);
  });

  test.each([
    ['FROM python\n', '`FROM python` has no tag, so every build pulls whatever `latest` is that day.'],
    ['ARG PY\nFROM python:${PY}\n', '`FROM python:${PY}` cannot be verified: `PY` has no default value, so the image depends on `--build-arg`.'],
  ])('message for %s', (dockerfile, message) => {
    expect(checkFiles({ Dockerfile: dockerfile }, [RULE]).map((finding) => finding.message)).toEqual([message]);
  });
});
