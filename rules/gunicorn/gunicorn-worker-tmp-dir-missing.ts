import { defineRule } from '../../src/rule';
import { missingSettingLocation, resolveEnv, runsInContainer } from './setting-values';

export default defineRule({
  meta: {
    id: 'gunicorn-worker-tmp-dir-missing',
    area: 'gunicorn',
    description: 'Gunicorn in a container keeps its worker heartbeat files outside `/dev/shm`',
    severity: 'warning',
    fixable: 'none',
    messages: {
      unset: '`worker_tmp_dir` is not set, so the worker heartbeat files live on the container\'s disk-backed filesystem.',
      notShm: '`worker_tmp_dir` is `{{path}}`, not the in-memory `/dev/shm`, so the worker heartbeat can block on disk.',
    },
    docs: {
      whatItDoes:
        'When the system runs in a container (it has a Dockerfile or a compose file), reports a `worker_tmp_dir` (config file, GUNICORN_CMD_ARGS or `--worker-tmp-dir`) that is not set or not under `/dev/shm`.',
      whyItMatters:
        'Each worker signals that it is alive by changing the mode of a temporary file, by default in the system temporary folder. In a container that folder is on the overlay filesystem, where the call can block on disk I/O; the master then sees no heartbeat, logs `WORKER TIMEOUT` and kills a healthy worker. Docker mounts a memory-backed tmpfs at `/dev/shm` in every container by default. Note that bandit (B108) and ruff (S108) flag the literal "/dev/shm" as an insecure temporary path; add `# noqa: S108  # nosec B108` to that line.',
      examples: {
        bad: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\n',
        },
        good: {
          Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["gunicorn", "-c", "gunicorn.conf.py", "main:app"]\n',
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\nworker_tmp_dir = "/dev/shm"  # noqa: S108  # nosec B108\n',
        },
      },
      useInstead: 'Set `worker_tmp_dir = "/dev/shm"` in the config file, or pass `--worker-tmp-dir /dev/shm`.',
      knownLimitations: 'A folder that a tmpfs volume is mounted on at run time is reported, because mounts made by the orchestrator are not seen.',
    },
  },
  check(model, context) {
    const setting = model.gunicorn.settings.get('worker_tmp_dir');
    if (!model.gunicorn.used || !setting || !runsInContainer(model)) return;

    const value = resolveEnv(setting.value, model);
    if (value.kind !== 'literal') return;

    const folder = typeof value.value === 'string' ? value.value.trim() : null;
    if (folder !== null && (folder === '/dev/shm' || folder.startsWith('/dev/shm/'))) return;

    if (setting.source === 'default' || folder === null || folder === '') {
      const location = setting.source === 'default' ? missingSettingLocation(model) : setting.location;
      if (location) context.report({ messageId: 'unset', location });
      return;
    }
    if (setting.location) context.report({ messageId: 'notShm', data: { path: folder }, location: setting.location });
  },
});
