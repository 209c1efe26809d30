import { defineRule } from '../../src/rule';
import { isRootUser, runtimeTarget, userName } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-user-not-numeric',
    area: 'dockerfile',
    description: 'Final stage USER is a user name rather than a numeric UID',
    severity: 'info',
    fixable: 'none',
    messages: {
      named: 'Final stage runs as the user name `{{user}}`; Kubernetes `runAsNonRoot` can verify only a numeric UID.',
    },
    docs: {
      whatItDoes: 'Reports a final-stage `USER` that names a non-root user (`USER app`, `USER app:app`) instead of giving its UID.',
      whyItMatters:
        'The kubelet checks `runAsNonRoot` against the image\'s USER without reading `/etc/passwd`, so it cannot tell that `app` is not root and refuses to start the pod unless `runAsUser` is also set.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nRUN useradd --uid 10001 app\nUSER app\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nRUN useradd --uid 10001 app\nUSER 10001:10001\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead: 'Write the UID (and GID) that the `useradd` line creates: `USER 10001:10001`.',
    },
  },
  check(model, context) {
    const user = runtimeTarget(model)?.user;
    if (!user || user.resolved === null) return;

    const name = userName(user.resolved);
    if (isRootUser(user.resolved) || /^\d+$/.test(name)) return;

    context.report({ messageId: 'named', data: { user: user.resolved }, location: user.location });
  },
});
