import { productionApps, routesOf } from '../../src/model/flask-queries';
import { declaredProbes } from '../../src/model/orchestration';
import { defineRule } from '../../src/rule';

/** An HTTP URL in a probe command; the path stops at quotes (escaped ones too), spaces and query strings. */
const PROBE_URL = /https?:\/\/[^/\s'"\\]+(\/[^\s'"?#)\\]*)?/g;

export default defineRule({
  meta: {
    id: 'healthcheck-route-missing',
    area: 'system',
    description: 'A health probe requests a path the app does not serve',
    severity: 'error',
    fixable: 'none',
    spansFiles: true,
    messages: {
      notServed: 'HEALTHCHECK probes `{{path}}`, but the app serves no such route{{known}}, so the container is marked unhealthy forever.',
      probeNotServed: 'The {{owner}} probes `{{path}}`, but the app serves no such route{{known}}, so the probe fails on every try.',
    },
    docs: {
      whatItDoes:
        'Extracts the URL paths from the target stage\'s HEALTHCHECK command (curl, wget or a Python urllib one-liner), from compose `healthcheck.test` commands and from Kubernetes `httpGet` liveness, readiness and startup probes, and checks each against the routes of the Flask app, including blueprint routes with their prefixes.',
      whyItMatters:
        'A probe on a path the app does not serve gets 404 on every try: Docker marks the container unhealthy, Swarm and compose `depends_on: service_healthy` never start the dependants, and orchestrators replace healthy workers in a loop.',
      examples: {
        bad: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/health")\ndef health():\n    return "ok"\n',
          Dockerfile:
            'FROM python:3.12-slim\nHEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/healthz\')"\nCMD ["gunicorn", "main:app"]\n',
        },
        good: {
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/health")\ndef health():\n    return "ok"\n',
          Dockerfile:
            'FROM python:3.12-slim\nHEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://127.0.0.1:8000/health\')"\nCMD ["gunicorn", "main:app"]\n',
        },
      },
      useInstead: 'Probe the app\'s liveness route, such as `/health`.',
      knownLimitations: 'Paths built from variables in the probe command, and routes with URL converters (`/health/<name>`), are not matched.',
    },
  },
  check(model, context) {
    const apps = productionApps(model);
    if (apps.length === 0) return;

    const served = new Set(apps.flatMap((app) => routesOf(model, app)).map((route) => trimSlash(route.path)));
    const known = served.size > 0 ? ` (it serves ${[...served].slice(0, 6).map((route) => `\`${route}\``).join(', ')})` : '';

    const healthcheck = model.docker.main?.target?.healthcheck;
    if (healthcheck && !healthcheck.none && healthcheck.command) {
      for (const match of healthcheck.command.raw.matchAll(PROBE_URL)) {
        const path = match[1] ?? '/';
        if (isServed(path, served)) continue;
        context.report({ messageId: 'notServed', data: { path, known }, location: healthcheck.location });
      }
    }

    for (const probe of declaredProbes(model)) {
      if (probe.path === null || isServed(probe.path, served)) continue;
      context.report({ messageId: 'probeNotServed', data: { owner: probe.owner, path: probe.path, known }, location: probe.location });
    }
  },
});

function isServed(path: string, served: Set<string>): boolean {
  const withoutQuery = path.replace(/[?#].*$/, '');
  return withoutQuery.includes('$') || served.has(trimSlash(withoutQuery));
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
