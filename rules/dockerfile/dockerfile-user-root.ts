import { APP_UID, APP_USER, insertBeforeCommand, insertLinesBefore, userCreationCommand } from '../../src/fix/dockerfile-edits';
import type { EffectiveStage } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { baseImage, isRootUser, runtimeTarget } from './stage';
import { createdUsers } from './users';

export default defineRule({
  meta: {
    id: 'dockerfile-user-root',
    area: 'dockerfile',
    description: 'Final stage runs as root, by a USER instruction or for lack of one',
    severity: 'error',
    fixable: 'unsafe',
    messages: {
      explicit: 'Final stage{{stage}} sets `USER {{user}}`, so the service runs as root.',
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
      fixSafety:
        'Unsafe: the fix adds `USER 10001` before the final stage\'s first CMD or ENTRYPOINT (at the end of the stage when a RUN follows the command), after a `RUN useradd --create-home --uid 10001 app` (`adduser -D -u 10001 app` on Alpine) unless a stage already creates a user, whose UID it then uses. A `USER root` of the final stage with no RUN after it is changed in place. The server then cannot write to files owned by root, such as the app folder copied by COPY, or bind ports below 1024. No fix is offered for a base image whose user tool is not known.',
      knownLimitations:
        'A base image from a registry may set its own USER; only the images listed in the reference data (distroless `nonroot`, Chainguard) are known to. An entrypoint that drops privileges with `gosu` or `su-exec` still starts as root and is reported.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target) return;

    const user = target.user;
    if (user?.resolved && isRootUser(user.resolved)) {
      context.report({ messageId: 'explicit', data: { user: user.resolved, stage: target.stage.name ? ` \`${target.stage.name}\`` : '' }, location: user.location, fix: nonRootFix(target) });
      return;
    }
    if (user) return;

    const defaultUser = baseImage(target.stage)?.facts?.defaultUser;
    if (defaultUser && !isRootUser(defaultUser)) return;

    context.report({ messageId: 'missing', location: target.stage.fromLocation, fix: nonRootFix(target) });
  },
});

/**
 * Switches the final stage to an unprivileged user: the one a stage creates (by UID when known),
 * else a new `app` user with UID 10001. The stage's own last `USER root` is replaced when no RUN
 * follows it; otherwise the USER goes before the command.
 */
function nonRootFix(target: EffectiveStage): Fix | undefined {
  const stage = target.stage;
  const file = stage.fromLocation.file;
  const existing = createdUsers(target.instructions).at(-1);
  const tool = baseImage(stage)?.facts?.userTool ?? null;
  if (!existing && !tool) return undefined;

  const user = existing ? (existing.uid ?? existing.name) : String(APP_UID);
  const creation = existing || !tool ? [] : [`RUN ${userCreationCommand(tool, APP_UID, APP_USER)}`];
  const title = `Run as \`${user}\` instead of root`;

  const own = stage.user && stage.user.location.file === file ? stage.user : null;
  const runAfter = own !== null && stage.instructions.some((instruction) => instruction.keyword === 'RUN' && instruction.location.start > own.location.start);
  if (own && !runAfter && target.user === own) {
    const edits = [{ file: file.relPath, start: own.location.start, end: own.location.end, text: user }];
    if (creation.length > 0) edits.push(insertLinesBefore(file, own.location.start, creation));
    return { title, safety: 'unsafe', edits };
  }

  return { title, safety: 'unsafe', edits: [insertBeforeCommand(stage, [...creation, `USER ${user}`])] };
}
