import * as path from 'node:path';
import { renderGunicornConfig } from '../../src/fix/gunicorn-config';
import type { SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { gracefulTimeoutWithin, shortestGracePeriod } from './grace-periods';
import { servicePort } from './service-port';

const posix = path.posix;
const DEFAULT_CONFIG_NAME = 'gunicorn.conf.py';

export default defineRule({
  meta: {
    id: 'gunicorn-config-missing',
    area: 'gunicorn',
    description: 'Gunicorn runs without a config file, or its `-c` path names no file',
    severity: 'warning',
    fixable: 'unsafe',
    spansFiles: true,
    messages: {
      missing: 'Gunicorn runs without a config file: the command has no `-c` and its working directory has no `gunicorn.conf.py`.',
      notLoaded: '`{{path}}` is never loaded: Gunicorn reads only `gunicorn.conf.py` in its working directory unless `-c` names a file.',
      notFound: 'Config file `{{path}}` is not in the system, and Gunicorn stops at start when its config file is missing.',
    },
    docs: {
      whatItDoes:
        'Finds the command that starts Gunicorn (Dockerfile ENTRYPOINT and CMD, an entrypoint script, or a compose `command`) and checks that it loads a config file: the file named by `-c`/`--config` (relative to the working directory; `file:` and `python:` forms too) or `gunicorn.conf.py` in the working directory, which Gunicorn loads by default. The working directory is the image WORKDIR mapped back to the system through COPY.',
      whyItMatters:
        'Without a config file, every production setting (bind address, workers, timeouts, `worker_tmp_dir`, logs) is either a flag crammed into CMD or a default meant for development: by default Gunicorn binds `127.0.0.1:8000` with one worker. A `-c` path that does not exist makes Gunicorn exit at start. A config file under another name, or one that is not copied into the image, is silently ignored.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "main:app"]\n',
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworkers = 2\n',
          'main.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
        },
      },
      useInstead:
        'Keep the settings in `gunicorn.conf.py` next to the code, copy it into the image, and start Gunicorn with `-c gunicorn.conf.py` so the file in use is explicit.',
      fixSafety:
        'Unsafe: the fix creates the config file (`gunicorn.conf.py` in the folder Gunicorn starts in, or the missing `-c` path) with production settings: `bind` on all interfaces at the port the system already uses (overridable by `PORT`), a capped worker count (overridable by `WEB_CONCURRENCY`), `sync` workers, `max_requests` with jitter, `timeout = 30`, a `graceful_timeout` shorter than the stop grace period, `worker_tmp_dir = "/dev/shm"`, logs to stdout and stderr, and, when the system imports prometheus_client or prometheus_flask_exporter, a `child_exit` hook for multiprocess metrics. Gunicorn then runs with these settings, so the number of workers, the address and the timeouts change. The Dockerfile is not changed. No fix is offered when a config file exists under another name or outside the image, because the settings in it need a person to merge.',
      knownLimitations:
        'Files created during the build (by `RUN`) or mounted at run time are not in the system, so a `-c` path to one is reported. A `-c` path that comes from an unset variable is not checked.',
    },
  },
  check(model, context) {
    const { used, invocation, configFile } = model.gunicorn;
    if (!used || configFile || !invocation) return;

    const config = model.gunicorn.settings.get('config');
    if (config && config.source !== 'default') {
      if (config.value.kind !== 'literal') return;
      const written = String(config.value.value);
      context.report({
        messageId: 'notFound',
        data: { path: written },
        location: config.location ?? invocation.location,
        fix: createConfigFix(model, configPathInSystem(model, written)),
      });
      return;
    }

    const candidate = model.files.find((file) => file.kind === 'gunicorn-config');
    if (candidate) {
      context.report({ messageId: 'notLoaded', data: { path: candidate.relPath }, location: invocation.location });
      return;
    }
    const folder = workingFolder(model);
    const relPath = folder === null ? null : posix.join(folder || '.', DEFAULT_CONFIG_NAME);
    context.report({ messageId: 'missing', location: invocation.location, fix: createConfigFix(model, relPath) });
  },
});

/** Creates the config file from the template, filled in with the port, grace period and metrics library of the system. */
function createConfigFix(model: SystemModel, relPath: string | null): Fix | undefined {
  if (relPath === null) return undefined;

  const gracePeriod = shortestGracePeriod(model);
  const content = renderGunicornConfig({
    port: servicePort(model),
    gracePeriod,
    gracefulTimeout: gracefulTimeoutWithin(gracePeriod),
    prometheus: importsPrometheus(model),
  });
  return {
    title: `Create \`${relPath}\` with production settings`,
    safety: 'unsafe',
    edits: [],
    newFiles: [{ file: relPath, content }],
  };
}

/**
 * Returns the system folder Gunicorn starts in, where it looks for `gunicorn.conf.py`: the
 * working directory mapped through COPY, which the model gives as the import folder when no
 * `--chdir` moves that. Null when `--chdir` is set or no folder of the system is copied there.
 */
function workingFolder(model: SystemModel): string | null {
  const chdir = model.gunicorn.settings.get('chdir');
  if (chdir && chdir.source !== 'default') return null;
  return model.gunicorn.invocation?.chdir ?? null;
}

/**
 * Maps a `-c` path to a path of the system: `file:` paths and `python:` modules, relative to the
 * working folder. An absolute path counts when it is inside the image's WORKDIR (other than `/`).
 * NOTE: a `cd` in an `sh -c` command moves the working folder away from WORKDIR, and an absolute
 * path is then mapped as if it were relative to WORKDIR.
 */
function configPathInSystem(model: SystemModel, written: string): string | null {
  const folder = workingFolder(model);
  if (folder === null) return null;

  let configPath = written.startsWith('file:') ? written.slice('file:'.length) : written;
  if (written.startsWith('python:')) configPath = `${written.slice('python:'.length).replace(/\./g, '/')}.py`;

  if (posix.isAbsolute(configPath)) {
    const workdir = containerWorkdir(model);
    const relative = posix.relative(workdir ?? '/', configPath);
    if (workdir === null || relative.startsWith('..') || posix.isAbsolute(relative)) return null;
    configPath = relative;
  }

  const relPath = posix.normalize(posix.join(folder || '.', configPath));
  return relPath === '.' || relPath.startsWith('..') || relPath.endsWith('/') ? null : relPath;
}

/**
 * Returns the image's WORKDIR, or null when the command comes from a compose file or the image
 * sets none, because an absolute path then does not show where the system is copied.
 */
function containerWorkdir(model: SystemModel): string | null {
  const invocation = model.gunicorn.invocation;
  const workdir = model.docker.main?.target?.workdir;
  if (!invocation || invocation.location.file.kind === 'compose' || !workdir) return null;

  const absolute = posix.resolve('/', workdir);
  return absolute === '/' ? null : absolute;
}

/** True when a module of the system imports prometheus_client or prometheus_flask_exporter, whose multiprocess mode needs `child_exit`. */
function importsPrometheus(model: SystemModel): boolean {
  return model.python.modules.some((module) => module.imports.some((entry) => /^(prometheus_client|prometheus_flask_exporter)(\.|$)/.test(entry.module)));
}
