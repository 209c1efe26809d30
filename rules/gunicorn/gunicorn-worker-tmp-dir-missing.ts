import { TMP_DIR_SUPPRESSION, WORKER_TMP_DIR_LINE } from '../../src/fix/gunicorn-config';
import type { GunicornSetting, SystemModel } from '../../src/model/types';
import { defineRule, type Fix } from '../../src/rule';
import { appendSettings, replaceConfigSetting, replaceSettingValue, settingFix } from './setting-fixes';
import { missingSettingLocation, resolveEnv, runsInContainer } from './setting-values';

const SHM = '/dev/shm';
const FIX_TITLE = 'Keep the worker heartbeat files in `/dev/shm`';

export default defineRule({
  meta: {
    id: 'gunicorn-worker-tmp-dir-missing',
    area: 'gunicorn',
    description: 'Gunicorn in a container keeps its worker heartbeat files outside `/dev/shm`',
    severity: 'warning',
    fixable: 'safe',
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
      fixSafety:
        'Safe: the fix sets `worker_tmp_dir = "/dev/shm"` with `# noqa: S108  # nosec B108` for ruff and bandit, adding the line to the config file or replacing the value in the config file or in the `--worker-tmp-dir` flag of the Dockerfile. Only where Gunicorn keeps its heartbeat files changes, and Docker mounts a memory-backed tmpfs at `/dev/shm` in every container by default.',
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
      if (location) context.report({ messageId: 'unset', location, fix: shmFix(model, setting) });
      return;
    }
    if (setting.location) context.report({ messageId: 'notShm', data: { path: folder }, location: setting.location, fix: shmFix(model, setting) });
  },
});

/**
 * Sets `worker_tmp_dir` to `/dev/shm`: a new line in the config file when unset, else the flag's
 * value in the Dockerfile or the value in the config file. A replaced config value gets the
 * linter suppression at the end of its line, unless the line has one already.
 */
function shmFix(model: SystemModel, setting: GunicornSetting): Fix | undefined {
  if (setting.source === 'default') return settingFix(FIX_TITLE, 'safe', appendSettings(model, [WORKER_TMP_DIR_LINE]));
  if (setting.source !== 'config') return settingFix(FIX_TITLE, 'safe', replaceSettingValue(model, setting, `"${SHM}"`, SHM));

  const edits = replaceConfigSetting(model, setting, `"${SHM}"`);
  if (!edits || !setting.node || !setting.location) return undefined;

  const file = setting.location.file;
  const lineBreak = /[\r\n]/.exec(file.text.slice(setting.node.endIndex));
  const lineEnd = lineBreak ? setting.node.endIndex + lineBreak.index : file.text.length;
  const suppressed = /\b[SB]108\b/.test(file.text.slice(setting.location.start, lineEnd));
  if (!suppressed) edits.push({ file: file.relPath, start: lineEnd, end: lineEnd, text: `  ${TMP_DIR_SUPPRESSION}` });
  return settingFix(FIX_TITLE, 'safe', edits);
}
