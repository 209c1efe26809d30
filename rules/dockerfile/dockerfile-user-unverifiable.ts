import { globalArgs, instructionDetails, stageChain } from '../../src/model/docker';
import { mappedLocation } from '../../src/parsers/dockerfile';
import type { DockerfileModel, EffectiveStage } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import { runtimeTarget } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-user-unverifiable',
    area: 'dockerfile',
    description: 'Final stage USER uses a variable whose value cannot be resolved',
    severity: 'info',
    fixable: 'none',
    messages: {
      notRedeclared:
        '`USER {{raw}}` cannot be verified: `{{name}}` is a global ARG, and a stage sees it only after declaring it again with `ARG {{name}}`.',
      noDefault: '`USER {{raw}}` cannot be verified: `ARG {{name}}` has no default, so the user depends on `--build-arg`.',
      unknown: '`USER {{raw}}` cannot be verified: the value of `{{name}}` is not known from the Dockerfile.',
    },
    docs: {
      whatItDoes:
        'Reports a final-stage `USER` whose value depends on a variable that the Dockerfile does not resolve: an ARG without a default, a global ARG the stage does not declare again, or a name that is never declared.',
      whyItMatters:
        'The runtime user then depends on how the image is built. prodcheck cannot tell whether it is root, so `dockerfile-user-root` stays silent; this note says why.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nARG APP_UID\nUSER ${APP_UID}\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile: 'ARG APP_UID=10001\nFROM python:3.12-slim\nARG APP_UID\nUSER ${APP_UID}\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead: 'Give the ARG a non-root default (`ARG APP_UID=10001`) and declare a global ARG again inside the stage, or write the UID itself.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    const dockerfile = model.docker.main;
    if (!target || !dockerfile) return;

    const user = target.user;
    if (!user || user.resolved !== null) return;

    const name = firstUnresolved(target, user.location.start) ?? user.raw;
    context.report({ messageId: unresolvedReason(name, target, dockerfile), data: { raw: user.raw, name }, location: user.location });
  },
});

/** Returns the first variable of the USER instruction at `start` whose value is unknown. */
function firstUnresolved(target: EffectiveStage, start: number): string | undefined {
  for (const instruction of target.instructions) {
    const details = instruction.keyword === 'USER' ? instructionDetails(instruction) : undefined;
    if (details && mappedLocation(details.rest).start === start) return details.expand(details.rest.text).unresolved[0];
  }
  return undefined;
}

function unresolvedReason(name: string, target: EffectiveStage, dockerfile: DockerfileModel): 'notRedeclared' | 'noDefault' | 'unknown' {
  const declared = stageChain(target.stage).flatMap((stage) => stage.env).filter((entry) => entry.name === name);
  if (declared.some((entry) => entry.keyword === 'ARG' && entry.value === null && entry.raw === '')) return 'noDefault';
  if (declared.length === 0 && globalArgs(dockerfile).some((arg) => arg.name === name)) return 'notRedeclared';
  return 'unknown';
}
