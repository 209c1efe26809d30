import { copySources, stageChain } from '../../src/model/docker';
import { commandPrograms, programName } from '../../src/model/shell';
import type { EffectiveStage } from '../../src/model/types';
import { defineRule } from '../../src/rule';
import { baseImage, programWords, runScripts, runtimeTarget } from './stage';

const PROBE_TOOLS = new Set(['curl', 'wget']);

/** Package managers and the subcommand that installs packages. */
const INSTALL_COMMANDS: Record<string, string[]> = {
  'apt-get': ['install'],
  apt: ['install'],
  apk: ['add'],
  yum: ['install'],
  dnf: ['install'],
  microdnf: ['install'],
  tdnf: ['install'],
  zypper: ['install', 'in'],
};

export default defineRule({
  meta: {
    id: 'dockerfile-healthcheck-tool-missing',
    area: 'dockerfile',
    description: 'HEALTHCHECK runs curl or wget, which the final image does not contain',
    severity: 'error',
    fixable: 'none',
    messages: {
      missing:
        '`HEALTHCHECK` runs `{{tool}}`, but `{{image}}` does not ship it and no stage of the final image installs it, so every probe fails and the container is marked unhealthy.',
    },
    docs: {
      whatItDoes:
        'Finds `curl` and `wget` in the final image\'s HEALTHCHECK command and reports them when the base image family does not ship the tool (`python:*-slim` has neither, `python:*-alpine` has only busybox `wget`, distroless and Chainguard images have neither) and no RUN instruction of the final stage or the stages it is built FROM installs it. Installing the tool in a separate build stage does not count.',
      whyItMatters:
        'The probe exits with "not found" on every run. Docker marks the container unhealthy, compose never starts services that wait for it, and Swarm or an autoheal sidecar restarts a container that was serving fine.',
      examples: {
        bad: {
          Dockerfile:
            'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD curl -f http://127.0.0.1:8000/health || exit 1\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile:
            'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\nHEALTHCHECK CMD curl -f http://127.0.0.1:8000/health || exit 1\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead:
        'Probe with the Python that the image already has: `HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/health\', timeout=2)"`. Or install the tool in the final stage.',
      knownLimitations:
        'Base images that are not in the reference data are not judged. A tool installed by a script, a `pip` package or a copied binary under another name is not recognised.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    const probe = target?.healthcheck?.command;
    const base = target ? baseImage(target.stage) : null;
    const shipped = base?.facts?.tools;
    if (!target || !probe || !base || !shipped) return;

    const reported = new Set<string>();
    for (const program of commandPrograms(probe)) {
      const tool = programName(program.value);
      if (!PROBE_TOOLS.has(tool) || shipped.includes(tool) || reported.has(tool)) continue;
      if (installs(target, tool)) continue;

      reported.add(tool);
      context.report({ messageId: 'missing', data: { tool, image: base.stage.resolvedImage ?? base.stage.image }, location: program.location });
    }
  },
});

/** True when a RUN of the target's stages installs the tool with a package manager, or a COPY --from brings its binary. */
function installs(target: EffectiveStage, tool: string): boolean {
  for (const script of runScripts(target.instructions)) {
    for (const command of script.commands) {
      const { program, words } = programWords(command);
      const subcommands = INSTALL_COMMANDS[program];
      if (!subcommands || !words.some((word) => subcommands.includes(word.value))) continue;
      if (words.some((word) => word.value === tool || word.value.startsWith(`${tool}=`))) return true;
    }
  }

  return stageChain(target.stage).some((stage) =>
    copySources(stage).some((source) => source.instruction.text.split(/\s+/).some((word) => programName(word) === tool)),
  );
}
