import { defineRule } from '../../src/rule';
import { baseImage, isRootUser, runtimeTarget } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-user-root',
    area: 'dockerfile',
    description: 'Final stage runs as root, by a USER instruction or for lack of one',
    severity: 'error',
    fixable: 'none',
    messages: {
      explicit: 'Final stage runs as `{{user}}`, which is root.',
      missing: 'Final stage runs as `root`, because neither it nor the stages it is built FROM has a `USER` instruction.',
    },
    docs: {
      whatItDoes:
        'Reads the final stage\'s effective USER, after resolving ARG and ENV values and following the stages it is built FROM, and reports `root`, `0`, `root:<group>` or `0:<group>`, or no USER at all (Docker then runs as root). A `USER root` in a build stage that the final stage does not inherit is fine.',
      whyItMatters:
        'A process running as root inside the container is root on the host\'s kernel: a remote code execution in the app, or a container escape, gets full privileges. Kubernetes `runAsNonRoot` and most hardened clusters refuse to start such an image.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile:
            'FROM python:3.12-slim AS build\nUSER root\nRUN pip wheel --wheel-dir /wheels flask gunicorn\n\nFROM python:3.12-slim\nARG APP_UID=10001\nRUN useradd --uid ${APP_UID} --no-create-home app\nWORKDIR /app\nCOPY . .\nUSER ${APP_UID}\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead: 'Create an unprivileged user and switch to it by UID before `CMD`: `RUN useradd --uid 10001 app` and `USER 10001`.',
      knownLimitations:
        'A base image from a registry may set its own USER; only the images listed in the reference data (distroless `nonroot`, Chainguard) are known to. An entrypoint that drops privileges with `gosu` or `su-exec` still starts as root and is reported.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target) return;

    const user = target.user;
    if (user?.resolved && isRootUser(user.resolved)) {
      context.report({ messageId: 'explicit', data: { user: user.resolved }, location: user.location });
      return;
    }
    if (user) return;

    const defaultUser = baseImage(target.stage)?.facts?.defaultUser;
    if (defaultUser && !isRootUser(defaultUser)) return;

    context.report({ messageId: 'missing', location: target.stage.fromLocation });
  },
});
