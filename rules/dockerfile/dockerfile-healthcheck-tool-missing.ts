import { spanHasComment } from '../../src/fix/dockerfile-edits';
import { copySources, stageChain } from '../../src/model/docker';
import { commandPrograms, programName } from '../../src/model/shell';
import { productionApps } from '../../src/model/flask-queries';
import type { EffectiveStage, HealthcheckSpec, SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { servicePort } from '../gunicorn/service-port';
import { isPlainPath, livenessPath, probePython, renderProbe, requestTimeout } from './probe';
import { baseImage, programWords, runScripts, runtimeTarget } from './stage';

/** The first URL of a probe command: scheme, port and path; each part stops at quotes, escaped ones too. */
const PROBE_URL = /\b(https?):\/\/(?:\[[^\]]*\]|[^/\s'":\\]+)(?::([^/\s'"\\]*))?(\/[^\s'"?#\\]*)?/;

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
    fixable: 'safe',
    spansFiles: true,
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
      fixSafety:
        'Safe: the fix replaces the probe command with `["python", "-c", "..."]`, a urllib request that exits 0 only for status 200, keeping the HEALTHCHECK options and the old URL\'s port and path (else the port Gunicorn binds and the app\'s liveness route). The old probe never ran, so only a probe that can succeed is added; the server runs as before. No fix is offered for an `https` URL or one built from variables.',
      knownLimitations:
        'Base images that are not in the reference data are not judged. A tool installed by a script, a `pip` package or a copied binary under another name is not recognised.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    const healthcheck = target?.healthcheck;
    const probe = healthcheck?.command;
    const base = target ? baseImage(target.stage) : null;
    const shipped = base?.facts?.tools;
    if (!target || !healthcheck || !probe || !base || !shipped) return;

    const reported = new Set<string>();
    for (const program of commandPrograms(probe)) {
      const tool = programName(program.value);
      if (!PROBE_TOOLS.has(tool) || shipped.includes(tool) || reported.has(tool)) continue;
      if (installs(target, tool)) continue;

      reported.add(tool);
      context.report({
        messageId: 'missing',
        data: { tool, image: base.stage.resolvedImage ?? base.stage.image },
        location: program.location,
        fix: pythonProbeFix(model, target, healthcheck),
      });
    }
  },
});

/** Replaces the probe command with a Python urllib request to the same port and path. */
function pythonProbeFix(model: SystemModel, target: EffectiveStage, healthcheck: HealthcheckSpec): Fix | undefined {
  const command = healthcheck.command;
  const python = probePython(target);
  if (!command || !python || productionApps(model).length === 0) return undefined;

  const { file, start, end } = command.argumentsLocation;
  const url = PROBE_URL.exec(command.raw);
  const path = url?.[3] ?? livenessPath(model);
  if (path === null) return undefined;
  const port = url?.[2] === undefined ? servicePort(model) : /^\d{1,5}$/.test(url[2]) ? Number(url[2]) : null;
  if (url?.[1] === 'https' || !isPlainPath(path) || port === null || spanHasComment(file, start, end)) return undefined;

  const probe = renderProbe(python, port, path, requestTimeout(healthcheck.options.timeout));
  return { title: 'Probe with Python\'s urllib instead', safety: 'safe', edits: [{ file: file.relPath, start, end, text: probe }] };
}

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
