import { setEnvironmentVariable } from '../../src/fix/dockerfile-edits';
import type { DockerStage } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { pythonRunsWith, runtimeTarget, stageLabel } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-bytecode-writes',
    area: 'dockerfile',
    description: 'Final stage does not set PYTHONDONTWRITEBYTECODE',
    severity: 'info',
    fixable: 'safe',
    messages: {
      missing: 'Final stage `{{stage}}` does not set `PYTHONDONTWRITEBYTECODE`, so Python writes `.pyc` files into the container at run time.',
    },
    docs: {
      whatItDoes:
        'Reports a final stage whose environment, its own or inherited from the stages it is built FROM, has no non-empty `PYTHONDONTWRITEBYTECODE`, unless the container runs `python -B`.',
      whyItMatters:
        'Bytecode written at run time lands in the container\'s writable layer, is lost on every restart, and fails (silently) on a read-only root filesystem or when the app folder belongs to another user; it only costs I/O.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1 \\\n    PYTHONDONTWRITEBYTECODE=1\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead: 'Add `ENV PYTHONDONTWRITEBYTECODE=1` to the final stage, or compile bytecode at build time with `python -m compileall`.',
      fixSafety:
        'Safe: the fix adds `ENV PYTHONDONTWRITEBYTECODE=1` right after the final stage\'s FROM (and its ARG lines), or appends it to an ENV line of the stage that sets other Python variables. Python then compiles modules in memory at each start instead of writing `.pyc` files; the program runs the same. No fix is offered when the stage sets the variable to an empty value on purpose.',
      knownLimitations: 'A value set by the base image itself is not seen.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target) return;

    const entry = target.env.get('PYTHONDONTWRITEBYTECODE');
    if (entry && entry.value !== '') return;
    if (pythonRunsWith(target, model.files, 'B')) return;

    // A variable set to an empty value was set on purpose, so it is left for a person to change.
    const fix = entry ? undefined : noBytecodeFix(target.stage);
    context.report({ messageId: 'missing', data: { stage: stageLabel(target.stage) }, location: target.stage.fromLocation, fix });
  },
});

function noBytecodeFix(stage: DockerStage): Fix {
  return { title: 'Add `ENV PYTHONDONTWRITEBYTECODE=1`', safety: 'safe', edits: [setEnvironmentVariable(stage, 'PYTHONDONTWRITEBYTECODE', '1')] };
}
