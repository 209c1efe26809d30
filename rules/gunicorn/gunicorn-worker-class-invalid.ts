import { ASGI_WORKER_CLASSES, GUNICORN_REMOVED_IN_26, GUNICORN_WORKER_CLASSES } from '../../data/gunicorn-settings';
import type { SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { installedPackages } from '../requirements/installed-packages';
import { replaceSettingValue, settingFix } from './setting-fixes';
import { resolveEnv, stringOf } from './setting-values';

/** Frameworks whose apps are ASGI apps: a system that imports one may use an ASGI worker. */
const ASGI_FRAMEWORKS = new Set(['fastapi', 'starlette', 'quart', 'litestar', 'sanic']);
/** The Gunicorn release that removed the eventlet worker. */
const EVENTLET_REMOVED_MAJOR = 26;

export default defineRule({
  meta: {
    id: 'gunicorn-worker-class-invalid',
    area: 'gunicorn',
    description: 'The Gunicorn worker class is unknown, an ASGI worker, or removed from the pinned Gunicorn',
    severity: 'error',
    fixable: 'unsafe',
    spansFiles: true,
    messages: {
      unknown: 'Worker class `{{workerClass}}` is neither a Gunicorn worker nor a class of the system or its requirements, so Gunicorn fails to start.',
      asgi: 'Worker class `{{workerClass}}` is an ASGI worker, but a Flask app is a WSGI app and fails on the first request.',
      removed: 'Worker class `{{workerClass}}` was removed in Gunicorn 26, and the requirements pin `gunicorn=={{version}}`.',
      packageMissing: 'Worker class `{{workerClass}}` needs the `{{package}}` package, which no production requirement installs, so Gunicorn fails to start.',
    },
    docs: {
      whatItDoes:
        'Reads `worker_class` (config file, GUNICORN_CMD_ARGS or `-k`) and checks it against the workers Gunicorn ships (`sync`, `gthread`, `gevent`, `eventlet`, `tornado` and their dotted paths). A dotted path to a module of the system, or to a package the requirements declare, is accepted. ASGI workers (Uvicorn\'s `uvicorn.workers.UvicornWorker`, Gunicorn\'s own `asgi`) are reported unless the system imports an ASGI framework. `eventlet` is reported when the requirements pin Gunicorn 26 or later. `gevent`, `eventlet` and `tornado` workers are reported when no production requirement installs that package (directly or through an extra such as `gunicorn[gevent]`).',
      whyItMatters:
        'An unknown class stops Gunicorn at start with an import error. An ASGI worker calls the app with the ASGI interface, which a Flask app does not implement, so every request fails. Gunicorn 26 removed the eventlet worker, so an upgrade breaks a system that still names it. Gunicorn does not install gevent, eventlet or tornado itself: a worker class that needs one fails when the first worker starts.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworker_class = "uvicorn.workers.UvicornWorker"\n',
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
        good: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworker_class = "gthread"\nthreads = 4\n',
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
      },
      useInstead: 'Use `sync` (the default) or `gthread` with `threads` for a Flask app; `gevent` when the app is written for it.',
      fixSafety:
        'Unsafe: the fix sets the worker class to `sync`, Gunicorn\'s default, in the config file or in the `-k` flag of the Dockerfile. Each worker then serves one request at a time, which changes how many requests the service handles at once.',
      knownLimitations:
        'A worker class given as a Python class object in the config file, or computed by an expression that cannot be evaluated, is not checked. The eventlet check needs an exact `==` pin of Gunicorn.',
    },
  },
  check(model, context) {
    const setting = model.gunicorn.settings.get('worker_class');
    if (!model.gunicorn.used || !setting?.location || setting.source === 'default') return;

    const written = stringOf(resolveEnv(setting.value, model))?.trim();
    if (!written) return;
    const workerClass = written.replace(/^egg:gunicorn#/, '');
    const fix = (): Fix | undefined => settingFix('Use the `sync` worker class', 'unsafe', replaceSettingValue(model, setting, '"sync"', 'sync'));

    if (ASGI_WORKER_CLASSES.includes(workerClass)) {
      if (importsAsgiFramework(model)) return;
      context.report({ messageId: 'asgi', data: { workerClass }, location: setting.location, fix: fix() });
      return;
    }

    const version = model.requirements.find('gunicorn')[0]?.pinnedVersion ?? null;
    if (GUNICORN_REMOVED_IN_26.includes(workerClass) && version !== null && majorVersion(version) >= EVENTLET_REMOVED_MAJOR) {
      context.report({ messageId: 'removed', data: { workerClass, version }, location: setting.location, fix: fix() });
      return;
    }

    if (!GUNICORN_WORKER_CLASSES.includes(workerClass) && !isProvidedClass(model, workerClass)) {
      context.report({ messageId: 'unknown', data: { workerClass }, location: setting.location, fix: fix() });
      return;
    }

    const needed = packageOfWorker(workerClass);
    if (!needed || model.requirements.source !== 'requirements' || installedPackages(model).names.has(needed)) return;
    context.report({ messageId: 'packageMissing', data: { workerClass, package: needed }, location: setting.location });
  },
});

/** Returns the package a built-in worker class imports when a worker starts (`gevent` for `gevent_pywsgi`), or null. */
function packageOfWorker(workerClass: string): string | null {
  const name = workerClass.toLowerCase();
  if (name.startsWith('gevent') || name.includes('.ggevent.')) return 'gevent';
  if (name === 'eventlet' || name.includes('.geventlet.')) return 'eventlet';
  if (name === 'tornado' || name.includes('.gtornado.')) return 'tornado';
  return null;
}

function importsAsgiFramework(model: SystemModel): boolean {
  const declared = [...ASGI_FRAMEWORKS].some((name) => model.requirements.find(name).length > 0);
  return declared || model.python.modules.some((module) => module.imports.some((entry) => ASGI_FRAMEWORKS.has(entry.module.split('.')[0])));
}

/** True for a dotted path whose module is a file of the system or whose package the requirements declare. */
function isProvidedClass(model: SystemModel, workerClass: string): boolean {
  const dot = workerClass.lastIndexOf('.');
  if (dot <= 0) return false;

  const moduleName = workerClass.slice(0, dot);
  const modulePath = moduleName.replace(/\./g, '/');
  const inSystem = model.files.some((file) => file.relPath === `${modulePath}.py` || file.relPath === `${modulePath}/__init__.py` || file.relPath.endsWith(`/${modulePath}.py`));
  if (inSystem) return true;

  const distribution = moduleName.split('.')[0].replace(/_/g, '-').toLowerCase();
  return model.requirements.find(distribution).length > 0;
}

function majorVersion(version: string): number {
  const major = Number.parseInt(version.split('.')[0], 10);
  return Number.isNaN(major) ? 0 : major;
}
