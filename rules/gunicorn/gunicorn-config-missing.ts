import { defineRule } from '../../src/rule';

export default defineRule({
  meta: {
    id: 'gunicorn-config-missing',
    area: 'gunicorn',
    description: 'Gunicorn runs without a config file, or its `-c` path names no file',
    severity: 'warning',
    fixable: 'none',
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
      context.report({ messageId: 'notFound', data: { path: String(config.value.value) }, location: config.location ?? invocation.location });
      return;
    }

    const candidate = model.files.find((file) => file.kind === 'gunicorn-config');
    if (candidate) {
      context.report({ messageId: 'notLoaded', data: { path: candidate.relPath }, location: invocation.location });
      return;
    }
    context.report({ messageId: 'missing', location: invocation.location });
  },
});
