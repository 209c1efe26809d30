import { defineRule } from '../../src/rule';
import { slimTagFor } from './base-image';
import { baseImage, imageLocation, runtimeTarget } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-base-image-not-slim',
    area: 'dockerfile',
    description: 'Final image is built on a full `python` image where a `-slim` variant exists',
    severity: 'info',
    fixable: 'none',
    messages: {
      full: '`{{image}}` is the full Debian image with compilers and build headers; `python:{{slim}}` runs the same Python in a much smaller image.',
    },
    docs: {
      whatItDoes:
        'Reports a final stage whose base, through the stages it is built FROM, is a full `python:<version>` or `python:<version>-<debian release>` image. Build stages may use the full image to compile wheels.',
      whyItMatters:
        'The full image carries gcc, headers and version-control tools that the running service does not need: a larger download on every deploy, slower cold starts, and more packages for vulnerability scanners to flag.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile:
            'FROM python:3.12 AS build\nCOPY requirements.txt .\nRUN pip wheel --wheel-dir /wheels -r requirements.txt\n\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead: 'Use the `-slim` tag of the same version in the final stage, and compile wheels in a build stage when a package needs a compiler.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    const base = target ? baseImage(target.stage) : null;
    const slim = base ? slimTagFor(base.reference) : null;
    if (!base || !slim) return;

    const image = base.stage.resolvedImage ?? base.stage.image;
    context.report({ messageId: 'full', data: { image, slim }, location: imageLocation(base.stage) });
  },
});
