import { isTestModule } from '../../src/model/flask-queries';
import { runtimeEnvironment } from '../../src/model/environment';
import type { SystemModel } from '../../src/model/types';
import { pythonQuery } from '../../src/parsers/python';
import type { Location } from '../../src/source';
import { thirdPartyImports } from './third-party-imports';

/** A package the system cannot run without, and the first place that shows it. */
export interface NeededPackage {
  /** Distribution to declare, in backticks, as a message names it: "`flask`". */
  label: string;
  /** Normalised distribution names, any of which meets the need. */
  accepts: string[];
  /** Cause of the need, as the start of a sentence: "The app imports `flask`". */
  reason: string;
  location: Location;
}

/**
 * Top-level imports whose distribution `requirements-package-missing` demands; the general
 * import check leaves them to it, so one missing package gives one finding.
 */
export const IMPORTS_OF_NEEDED_PACKAGES = new Set(['flask', 'gunicorn', 'psycopg2', 'psycopg', 'prometheus_client', 'prometheus_flask_exporter', 'flask_cors']);

const POSTGRES_DRIVERS = ['psycopg2', 'psycopg2-binary', 'psycopg', 'psycopg2cffi', 'asyncpg', 'pg8000'];
const POSTGRES_URL = /\bpostgres(?:ql)?(?:\+([a-z0-9_]+))?:\/\//i;
const GUNICORN_COMMAND = /(^|[\s/;&|])gunicorn(\s|$)/;

/** Lists the packages the system needs, each once, at the first import or usage that needs it. */
export function neededPackages(model: SystemModel): NeededPackage[] {
  const needs = new Map<string, NeededPackage>();
  const need = (key: string, value: NeededPackage): void => {
    if (!needs.has(key)) needs.set(key, value);
  };

  const imports = thirdPartyImports(model).sort((a, b) => compareLocations(a.import.location, b.import.location));
  const firstImport = (root: string) => imports.find((entry) => entry.root === root);

  const flask = firstImport('flask');
  if (flask) need('flask', { label: '`flask`', accepts: ['flask'], reason: 'The app imports `flask`', location: flask.import.location });

  const gunicorn = gunicornUsage(model);
  if (gunicorn) need('gunicorn', { label: '`gunicorn`', accepts: ['gunicorn'], reason: gunicorn.reason, location: gunicorn.location });

  const psycopg2 = firstImport('psycopg2');
  if (psycopg2) {
    need('postgres', {
      label: '`psycopg2` (or `psycopg2-binary`)',
      accepts: ['psycopg2', 'psycopg2-binary'],
      reason: 'The code imports `psycopg2`',
      location: psycopg2.import.location,
    });
  }
  const psycopg = firstImport('psycopg');
  if (psycopg) need('postgres-3', { label: '`psycopg`', accepts: ['psycopg'], reason: 'The code imports `psycopg`', location: psycopg.import.location });

  const url = postgresUrl(model);
  if (url && !psycopg2 && !psycopg) {
    need('postgres', { label: url.label, accepts: url.accepts, reason: `The system connects to a \`${url.scheme}\` URL`, location: url.location });
  }

  const exporter = firstImport('prometheus_flask_exporter');
  if (exporter) {
    need('prometheus-flask-exporter', {
      label: '`prometheus-flask-exporter`',
      accepts: ['prometheus-flask-exporter'],
      reason: 'The code imports `prometheus_flask_exporter`',
      location: exporter.import.location,
    });
  }
  const client = firstImport('prometheus_client');
  if (client) {
    need('prometheus-client', {
      label: '`prometheus-client`',
      accepts: ['prometheus-client'],
      reason: 'The code imports `prometheus_client`',
      location: client.import.location,
    });
  }

  const cors = firstImport('flask_cors');
  if (cors) need('flask-cors', { label: '`flask-cors`', accepts: ['flask-cors'], reason: 'The code imports `flask_cors`', location: cors.import.location });

  const asyncRoute = model.python.routes
    .filter((route) => route.handler?.isAsync && !isTestModule(route.handler.module))
    .sort((a, b) => compareLocations(a.handler!.nameLocation, b.handler!.nameLocation))[0];
  if (asyncRoute?.handler) {
    need('asgiref', {
      label: '`flask[async]`',
      accepts: ['asgiref'],
      reason: `Route handler \`${asyncRoute.handler.qualifiedName}\` is \`async def\``,
      location: asyncRoute.handler.nameLocation,
    });
  }

  return [...needs.values()];
}

/** Finds where the system runs Gunicorn: its invocation, the Dockerfile command, or its config file. */
function gunicornUsage(model: SystemModel): { reason: string; location: Location } | null {
  const invocation = model.gunicorn.invocation;
  if (invocation) return { reason: 'The system runs the app under Gunicorn', location: invocation.location };

  const target = model.docker.main?.target;
  const command = target?.command;
  const instruction = target?.cmd ?? target?.entrypoint;
  if (command && instruction && GUNICORN_COMMAND.test(command.join(' '))) {
    return { reason: 'The container command runs `gunicorn`', location: instruction.location };
  }

  if (model.gunicorn.used && model.gunicorn.configFile) {
    const file = model.gunicorn.configFile;
    return { reason: `The system configures Gunicorn in \`${file.relPath}\``, location: { file, start: 0, end: 0 } };
  }
  return null;
}

interface PostgresUrl {
  scheme: string;
  label: string;
  accepts: string[];
  location: Location;
}

/**
 * Finds the first `postgresql://` URL of production code, configuration YAML or the container
 * environment. A SQLAlchemy driver suffix (`postgresql+psycopg://`) names the driver it needs.
 */
function postgresUrl(model: SystemModel): PostgresUrl | null {
  const found: Array<{ text: string; location: Location }> = [];

  for (const module of model.python.modules) {
    // A string of the module can hold a URL only if the module's text does; most modules have none.
    if (isTestModule(module) || !POSTGRES_URL.test(module.file.text)) continue;
    for (const capture of pythonQuery('(string) @string').captures(module.tree.rootNode)) {
      if (!POSTGRES_URL.test(capture.node.text)) continue;
      found.push({ text: capture.node.text, location: { file: module.file, start: capture.node.startIndex, end: capture.node.endIndex } });
      break;
    }
  }

  for (const document of model.yaml.documents) {
    if (document.role === 'kubernetes' || /(^|\/)tests?\//.test(document.file.relPath)) continue;
    const entry = document.entries.find((candidate) => typeof candidate.value === 'string' && POSTGRES_URL.test(candidate.value));
    if (entry) found.push({ text: entry.value as string, location: entry.valueLocation });
  }

  for (const setting of runtimeEnvironment(model)) {
    if (setting.value !== null && POSTGRES_URL.test(setting.value)) found.push({ text: setting.value, location: setting.location });
  }

  const first = found.sort((a, b) => compareLocations(a.location, b.location))[0];
  if (!first) return null;

  const match = POSTGRES_URL.exec(first.text)!;
  const scheme = match[0];
  const driver = match[1]?.toLowerCase();
  if (driver === 'psycopg2') return { scheme, label: '`psycopg2` (or `psycopg2-binary`)', accepts: ['psycopg2', 'psycopg2-binary'], location: first.location };
  if (driver && POSTGRES_DRIVERS.includes(driver)) return { scheme, label: `\`${driver}\``, accepts: [driver], location: first.location };
  return { scheme, label: 'a PostgreSQL driver such as `psycopg2`', accepts: POSTGRES_DRIVERS, location: first.location };
}

function compareLocations(a: Location, b: Location): number {
  if (a.file.relPath !== b.file.relPath) return a.file.relPath < b.file.relPath ? -1 : 1;
  return a.start - b.start;
}
