import { insertBeforeCommand } from '../../src/fix/dockerfile-edits';
import { isRecord } from '../../src/model/docker';
import type { EffectiveStage, SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { servicePort } from '../gunicorn/service-port';
import { livenessPath, PROBE_OPTIONS, probePython, renderProbe, requestTimeout, servesApp } from './probe';
import { runtimeTarget, stageLabel } from './stage';

export default defineRule({
  meta: {
    id: 'dockerfile-healthcheck-missing',
    area: 'dockerfile',
    description: 'Final stage has no HEALTHCHECK and no compose or Kubernetes probe checks the container',
    severity: 'warning',
    fixable: 'safe',
    spansFiles: true,
    messages: {
      missing:
        'Final stage `{{stage}}` has no `HEALTHCHECK`, and no compose healthcheck or Kubernetes probe checks the container, so a hung server is never restarted.',
    },
    docs: {
      whatItDoes:
        'Reports a final stage without a `HEALTHCHECK` of its own or inherited from the stages it is built FROM, unless a compose service declares a `healthcheck` or a Kubernetes manifest declares a `livenessProbe` or `readinessProbe`. `HEALTHCHECK NONE` is left to `dockerfile-healthcheck-disabled`.',
      whyItMatters:
        'Docker reports a container as running as long as its main process lives. A Gunicorn whose workers are all stuck, or an app whose database connection is gone, keeps receiving traffic; with a health check the orchestrator stops routing to it and replaces it.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
        },
        good: {
          Dockerfile:
            'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nHEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/health\', timeout=2)"\nCMD ["gunicorn", "app:app"]\n',
        },
      },
      useInstead:
        'Add `HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/health\', timeout=2)"`, which needs no extra tool in a slim image, or declare a probe in compose or Kubernetes.',
      fixSafety:
        'Safe: the fix adds `HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["python", "-c", "..."]` before the final stage\'s command. The probe requests `http://127.0.0.1:<port><path>` with Python\'s urllib, which every official python image has, on the port Gunicorn binds (else `EXPOSE`, else 8000) and the app\'s liveness route (`/health` when the app has none yet, which the fix of `flask-health-route-missing` adds). It only adds a status check: the server itself runs as before. No fix is offered when the container does not run a server for the system\'s Flask app (a worker, an unknown command) or the base image is not an official python image.',
      knownLimitations:
        'Any compose service with a healthcheck, or any Kubernetes probe in the system, silences the rule, even one that belongs to another service.',
    },
  },
  check(model, context) {
    const target = runtimeTarget(model);
    if (!target || target.healthcheck) return;

    if (hasOrchestratorProbe(model)) return;

    context.report({ messageId: 'missing', data: { stage: stageLabel(target.stage) }, location: target.stage.fromLocation, fix: healthcheckFix(model, target) });
  },
});

function healthcheckFix(model: SystemModel, target: EffectiveStage): Fix | undefined {
  const python = probePython(target);
  const path = livenessPath(model);
  if (!python || !path || !servesApp(model, target)) return undefined;

  const probe = renderProbe(python, servicePort(model), path, requestTimeout('5s'));
  return { title: 'Add a `HEALTHCHECK` that probes the liveness route', safety: 'safe', edits: [insertBeforeCommand(target.stage, [`HEALTHCHECK ${PROBE_OPTIONS} CMD ${probe}`])] };
}

/** True when a compose service declares an enabled healthcheck, or a Kubernetes manifest a liveness or readiness probe. */
function hasOrchestratorProbe(model: SystemModel): boolean {
  return model.yaml.documents.some((document) => {
    if (document.role === 'compose') return composeHasHealthcheck(document.data);
    if (document.role === 'kubernetes') return containsProbe(document.data, 0);
    return false;
  });
}

function composeHasHealthcheck(data: unknown): boolean {
  const services = isRecord(data) && isRecord(data.services) ? Object.values(data.services) : [];
  return services.some((service) => isRecord(service) && isEnabledHealthcheck(service.healthcheck));
}

function isEnabledHealthcheck(healthcheck: unknown): boolean {
  if (!isRecord(healthcheck) || healthcheck.disable === true) return false;

  const test = healthcheck.test;
  const first = Array.isArray(test) ? test[0] : test;
  return first !== 'NONE' && test !== undefined && test !== null;
}

/** Manifests nest containers at different depths (Pod, Deployment, CronJob), so any probe key anywhere counts. */
function containsProbe(value: unknown, depth: number): boolean {
  if (depth > 12 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => containsProbe(item, depth + 1));

  const record = value as Record<string, unknown>;
  if (isRecord(record.livenessProbe) || isRecord(record.readinessProbe)) return true;
  return Object.values(record).some((item) => containsProbe(item, depth + 1));
}
