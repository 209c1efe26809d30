import { dockerfileComments } from '../../src/model/docker';
import type { DockerfileComment } from '../../src/parsers/dockerfile';
import { defineRule } from '../../src/rule';
import { positionAt } from '../../src/source';
import { runtimeTarget } from './stage';

/** Comments that are tool markers rather than a reason: fixture expectations and linter pragmas. */
const MARKER_COMMENT = /^(expect:|hadolint\b|prodcheck\b|syntax\s*=|escape\s*=|check\s*=)/i;

export default defineRule({
  meta: {
    id: 'dockerfile-healthcheck-disabled',
    area: 'dockerfile',
    description: 'HEALTHCHECK NONE without a comment stating why',
    severity: 'warning',
    fixable: 'none',
    messages: {
      disabled: '`HEALTHCHECK NONE` turns off health checks for the final image, and no comment above it says why.',
    },
    docs: {
      whatItDoes:
        'Reports `HEALTHCHECK NONE` in the final stage or a stage it is built FROM, unless a comment on the line or lines directly above it gives a reason. Fixture `# expect:` markers and linter pragmas do not count as a reason.',
      whyItMatters:
        '`HEALTHCHECK NONE` also removes a health check inherited from the base image. Sometimes that is right (the orchestrator probes instead), but without a stated reason a reader cannot tell a decision from an accident.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nHEALTHCHECK NONE\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile:
            'FROM python:3.12-slim\n# The Kubernetes liveness and readiness probes check /health and /ready.\nHEALTHCHECK NONE\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead: 'Probe the app with `HEALTHCHECK CMD ...`, or write the reason in a comment right above `HEALTHCHECK NONE`.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    const dockerfile = model.docker.main;
    const healthcheck = target?.healthcheck;
    if (!dockerfile || !healthcheck?.none) return;

    const line = positionAt(healthcheck.location.file, healthcheck.location.start).line;
    if (hasReasonAbove(dockerfileComments(dockerfile), line)) return;

    context.report({ messageId: 'disabled', location: healthcheck.location });
  },
});

/** True when the comment lines directly above `line`, up to the first other line, include a reason. */
function hasReasonAbove(comments: readonly DockerfileComment[], line: number): boolean {
  const byLine = new Map(comments.map((comment) => [comment.line, comment]));

  for (let above = line - 1; byLine.has(above); above--) {
    const text = byLine.get(above)!.text;
    if (/[A-Za-z]{2,}/.test(text) && !MARKER_COMMENT.test(text)) return true;
  }
  return false;
}
