import type { EffectiveStage } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { isRootUser, runtimeTarget, userName } from './stage';
import { createdUsers } from './users';

export default defineRule({
  meta: {
    id: 'dockerfile-user-not-numeric',
    area: 'dockerfile',
    description: 'Final stage USER is a user name rather than a numeric UID',
    severity: 'info',
    fixable: 'unsafe',
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
      fixSafety:
        'Unsafe: when a RUN of the final image creates the user with `useradd --uid` or `adduser -u`, the fix writes that UID in place of the name and keeps any `:group` as written. The process runs with the same UID, but it no longer gets the supplementary groups that Docker looks up for a user name. No fix is offered for users of the base image or created without a UID, or a user given through a variable.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    const user = target?.user;
    if (!target || !user || user.resolved === null) return;

    const name = userName(user.resolved);
    if (isRootUser(user.resolved) || /^\d+$/.test(name)) return;

    context.report({ messageId: 'named', data: { user: user.resolved }, location: user.location, fix: numericUserFix(target, name) });
  },
});

function numericUserFix(target: EffectiveStage, name: string): Fix | undefined {
  const user = target.user;
  const uid = createdUsers(target.instructions).filter((created) => created.name === name).at(-1)?.uid;
  if (!user || !uid || !user.raw.startsWith(name) || !/^(:|$)/.test(user.raw.slice(name.length))) return undefined;

  const start = user.location.start;
  return { title: `Write the UID \`${uid}\` of \`${name}\``, safety: 'unsafe', edits: [{ file: user.location.file.relPath, start, end: start + name.length, text: uid }] };
}
