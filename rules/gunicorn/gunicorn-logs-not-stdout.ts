import type { GunicornSetting, SystemModel } from '../../src/model/types';
import { defineRule, type Fix, type RuleContext } from '../../src/rule';
import { appendSettings, replaceSettingValue, settingFix } from './setting-fixes';
import { missingSettingLocation, resolveEnv, writtenSetting } from './setting-values';

/** Log targets that reach the container's output: `-` is stdout for the access log and stderr for the error log. */
const CONSOLE_TARGETS = new Set(['-', '/dev/stdout', '/dev/stderr', '/proc/self/fd/1', '/proc/self/fd/2', '/dev/fd/1', '/dev/fd/2']);

export default defineRule({
  meta: {
    id: 'gunicorn-logs-not-stdout',
    area: 'gunicorn',
    description: 'Gunicorn\'s access or error log does not go to stdout or stderr',
    severity: 'warning',
    fixable: 'unsafe',
    messages: {
      accessLogOff: '`accesslog` is not set, so Gunicorn writes no access log.',
      accessLogFile: '`accesslog` writes to `{{path}}`, a file inside the container, instead of `-` (stdout).',
      errorLogFile: '`errorlog` writes to `{{path}}`, a file inside the container, instead of `-` (stderr).',
    },
    docs: {
      whatItDoes:
        'Reads `accesslog` and `errorlog` (config file, GUNICORN_CMD_ARGS, `--access-logfile`, `--error-logfile`/`--log-file`) and reports an access log that is off (the default) and either log written to a file instead of `-`, `/dev/stdout` or `/dev/stderr`. Systems that configure logging themselves (`logconfig`, `logconfig_dict`, `logconfig_json`) are skipped.',
      whyItMatters:
        'Container platforms collect what a process writes to stdout and stderr (`docker logs`, Kubernetes, CloudWatch). A log file inside the container is lost when the container is replaced, fills its writable layer, and is invisible to the log pipeline. Without an access log, requests leave no trace at all.',
      examples: {
        bad: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\naccesslog = "/var/log/gunicorn/access.log"\n',
        },
        good: {
          'gunicorn.conf.py': 'bind = "0.0.0.0:8000"\naccesslog = "-"\nerrorlog = "-"\n',
        },
      },
      useInstead: 'Set `accesslog = "-"` and `errorlog = "-"` (or pass `--access-logfile - --error-logfile -`).',
      fixSafety:
        'Unsafe: the fix sets the log to `-` (stdout for the access log, stderr for the error log), adding `accesslog = "-"` to the config file when the access log is off, or replacing the file path in the config file or in the `--access-logfile`/`--error-logfile` flag of the Dockerfile. The log file stops being written, so anything that reads it must read the container output instead.',
      knownLimitations: 'A file path that a volume or a log shipper sidecar reads is reported all the same.',
    },
  },
  check(model, context) {
    if (!model.gunicorn.used) return;
    if (['logconfig', 'logconfig_dict', 'logconfig_json'].some((name) => writtenSetting(model, name))) return;

    const accesslog = model.gunicorn.settings.get('accesslog');
    const errorlog = model.gunicorn.settings.get('errorlog');
    if (accesslog) checkLog(model, context, accesslog, 'access');
    if (errorlog) checkLog(model, context, errorlog, 'error');
  },
});

type LogMessage = 'accessLogOff' | 'accessLogFile' | 'errorLogFile';

function checkLog(
  model: SystemModel,
  context: RuleContext<LogMessage>,
  setting: GunicornSetting,
  kind: 'access' | 'error',
): void {
  const value = resolveEnv(setting.value, model);
  if (value.kind !== 'literal') return;

  const target = typeof value.value === 'string' ? value.value.trim() : null;
  const location = setting.source === 'default' ? missingSettingLocation(model) : setting.location;
  if (!location || (target !== null && CONSOLE_TARGETS.has(target))) return;

  if (target === null || target === '') {
    if (kind === 'access') context.report({ messageId: 'accessLogOff', location, fix: consoleFix(model, setting) });
    return;
  }
  context.report({ messageId: kind === 'access' ? 'accessLogFile' : 'errorLogFile', data: { path: target }, location, fix: consoleFix(model, setting) });
}

/** Sets the log to `-`: a new line in the config file when only the default applies, else the written value. */
function consoleFix(model: SystemModel, setting: GunicornSetting): Fix | undefined {
  const title = `Write the ${setting.name === 'accesslog' ? 'access' : 'error'} log to \`-\``;
  const edits = setting.source === 'default' ? appendSettings(model, [`${setting.name} = "-"`]) : replaceSettingValue(model, setting, '"-"', '-');
  return settingFix(title, 'unsafe', edits);
}
