import type { DockerStage } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { parseImageReference, slimTagFor } from './base-image';
import { baseImage, imageLocation, runtimeTarget } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-base-image-not-slim',
    area: 'dockerfile',
    description: 'Final image is built on a full `python` image where a `-slim` variant exists',
    severity: 'info',
    fixable: 'unsafe',
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
      fixSafety:
        'Unsafe: the fix changes the tag to the `-slim` variant of the same Python version and Debian release. The slim image lacks gcc, headers, curl, wget and git, so a `pip install` of a package without a wheel, or a RUN that uses those tools, fails to build. No fix is offered when the image comes from an ARG or is pinned by digest.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    const base = target ? baseImage(target.stage) : null;
    const slim = base ? slimTagFor(base.reference) : null;
    if (!base || !slim) return;

    const image = base.stage.resolvedImage ?? base.stage.image;
    context.report({ messageId: 'full', data: { image, slim }, location: imageLocation(base.stage), fix: slimFix(base.stage, slim) });
  },
});

/** Replaces the tag of a FROM image written literally, without a digest, with the slim tag. */
function slimFix(stage: DockerStage, slim: string): Fix | undefined {
  const location = imageLocation(stage);
  const reference = parseImageReference(stage.image);
  if (stage.image !== stage.resolvedImage || !reference?.tag || reference.digest || location === stage.fromLocation) return undefined;

  const end = location.start + stage.image.length;
  const start = end - reference.tag.length;
  return { title: `Use \`${reference.repository}:${slim}\``, safety: 'unsafe', edits: [{ file: location.file.relPath, start, end, text: slim }] };
}
