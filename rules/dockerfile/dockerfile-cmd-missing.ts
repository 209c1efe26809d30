import { defineRule } from '../../src/rule';
import { rootStage } from '../../src/model/docker';
import { runtimeTarget, stageLabel } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-cmd-missing',
    area: 'dockerfile',
    description: 'Final stage has neither CMD nor ENTRYPOINT, its own or inherited from a parent stage',
    severity: 'error',
    fixable: 'none',
    messages: {
      missing: 'Final stage `{{stage}}` has neither `CMD` nor `ENTRYPOINT`, so the container runs the default command of `{{image}}`.',
    },
    docs: {
      whatItDoes:
        'Reports a final stage that sets no command: neither it nor the stages it is built FROM has a `CMD` or an `ENTRYPOINT` with arguments.',
      whyItMatters:
        'Without a command the container runs whatever the base image runs. For `python:3.12-slim` that is an interactive `python3`, which exits at once without a terminal, so the service never starts and the orchestrator restarts it in a loop.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n',
        },
        good: {
          Dockerfile:
            'FROM python:3.12-slim AS base\nWORKDIR /app\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]\n\nFROM base\nCOPY . .\n',
        },
      },
      useInstead: 'End the final stage with an exec-form command, such as `CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:app"]`.',
      knownLimitations:
        'A stage built on an image from a registry (not on an earlier stage) may inherit a command from that image; the rule cannot see it and still reports.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target) return;

    if (target.command && target.command.length > 0) return;

    const root = rootStage(target.stage);
    context.report({
      messageId: 'missing',
      data: { stage: stageLabel(target.stage), image: root.resolvedImage ?? root.image },
      location: target.stage.fromLocation,
    });
  },
});
