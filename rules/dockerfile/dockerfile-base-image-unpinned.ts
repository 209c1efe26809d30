import { globalArgs } from '../../src/model/docker';
import type { DockerfileModel } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import { parseImageReference } from './base-image';
import { imageLocation } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-base-image-unpinned',
    area: 'dockerfile',
    description: 'Base image has no tag or uses `latest`',
    severity: 'warning',
    fixable: 'none',
    messages: {
      untagged: '`FROM {{image}}` has no tag, so every build pulls whatever `latest` is that day.',
      latest: '`FROM {{image}}` uses the `latest` tag, so every build pulls whatever it points to that day.',
      unverifiable: '`FROM {{image}}` cannot be verified: `{{name}}` has no default value, so the image depends on `--build-arg`.',
    },
    docs: {
      whatItDoes:
        'Checks the image of every FROM line of every Dockerfile, after resolving global ARG defaults. An image without a tag or with `latest` is reported; a digest (`@sha256:...`) is fine. FROM lines naming an earlier stage and `scratch` are skipped. When an ARG without a default leaves the image unknown, the rule says so at info level.',
      whyItMatters:
        'An unpinned base changes under you: a rebuild for a one-line fix can bring a new Python minor version or a new Debian release, breaking wheels and behaviour with no change in the repository, and two builds of the same commit differ.',
      examples: {
        bad: {
          Dockerfile: 'FROM python\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile:
            'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim AS build\nRUN pip wheel --wheel-dir /wheels gunicorn\n\nFROM build\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead: 'Pin a version tag such as `python:3.12-slim`, or a digest for fully reproducible builds: `python:3.12-slim@sha256:...`.',
    },
  },
  check(model, context) {
    for (const dockerfile of model.docker.dockerfiles) {
      for (const stage of dockerfile.stages) {
        if (stage.parent || !stage.image) continue;

        const location = imageLocation(stage);
        if (stage.resolvedImage === null) {
          const name = unresolvedArg(stage.image, dockerfile) ?? stage.image;
          context.report({ messageId: 'unverifiable', data: { image: stage.image, name }, location, severity: 'info' });
          continue;
        }

        const reference = parseImageReference(stage.resolvedImage);
        if (!reference || reference.repository === 'scratch' || reference.digest) continue;
        if (reference.tag && reference.tag !== 'latest') continue;

        context.report({ messageId: reference.tag ? 'latest' : 'untagged', data: { image: stage.resolvedImage }, location });
      }
    }
  },
});

/** Returns the first variable of the image whose global ARG has no known value. */
function unresolvedArg(image: string, dockerfile: DockerfileModel): string | null {
  const args = globalArgs(dockerfile);

  for (const match of image.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const declared = args.filter((arg) => arg.name === match[1]);
    if (declared.length === 0 || declared[declared.length - 1].value === null) return match[1];
  }
  return null;
}
