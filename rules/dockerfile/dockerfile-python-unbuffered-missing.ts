import { setEnvironmentVariable } from '../../src/fix/dockerfile-edits';
import type { DockerStage } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { pythonRunsWith, runtimeTarget, stageLabel } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-python-unbuffered-missing',
    area: 'dockerfile',
    description: 'Final stage does not set PYTHONUNBUFFERED, so output stays in buffers',
    severity: 'warning',
    fixable: 'safe',
    messages: {
      missing:
        'Final stage `{{stage}}` does not set `PYTHONUNBUFFERED`, so Python buffers standard output and the last lines before a crash never reach the container log.',
    },
    docs: {
      whatItDoes:
        'Reports a final stage whose environment, its own or inherited from the stages it is built FROM, has no non-empty `PYTHONUNBUFFERED` (any non-empty value, even `0`, turns buffering off), unless the container runs `python -u`.',
      whyItMatters:
        'When standard output is a pipe, as it is under Docker, Python writes it in blocks of several kilobytes. Log lines show up late and out of order with stderr, and whatever is still buffered when the process is killed is lost, usually the lines that explain the crash.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim AS base\nENV PYTHONUNBUFFERED=1\n\nFROM base\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead: 'Add `ENV PYTHONUNBUFFERED=1` to the final stage or a stage it is built FROM.',
      fixSafety:
        'Safe: the fix adds `ENV PYTHONUNBUFFERED=1` right after the final stage\'s FROM (and its ARG lines), or appends it to an ENV line of the stage that sets other Python variables. Output reaches the log as it is written; the program runs the same. No fix is offered when the stage sets the variable to an empty value on purpose.',
      knownLimitations: 'A value set by the base image itself is not seen.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target) return;

    const entry = target.env.get('PYTHONUNBUFFERED');
    if (entry && entry.value !== '') return;
    if (pythonRunsWith(target, model.files, 'u')) return;

    // A variable set to an empty value was set on purpose, so it is left for a person to change.
    const fix = entry ? undefined : unbufferedFix(target.stage);
    context.report({ messageId: 'missing', data: { stage: stageLabel(target.stage) }, location: target.stage.fromLocation, fix });
  },
});

function unbufferedFix(stage: DockerStage): Fix {
  return { title: 'Add `ENV PYTHONUNBUFFERED=1`', safety: 'safe', edits: [setEnvironmentVariable(stage, 'PYTHONUNBUFFERED', '1')] };
}
