import type { Rule } from '../../src/rule';
import bindUnreachable from './gunicorn-bind-unreachable';
import configMissing from './gunicorn-config-missing';
import daemonEnabled from './gunicorn-daemon-enabled';
import gracefulTimeoutTooLong from './gunicorn-graceful-timeout-too-long';
import logsNotStdout from './gunicorn-logs-not-stdout';
import maxRequestsJitterMissing from './gunicorn-max-requests-jitter-missing';
import maxRequestsMissing from './gunicorn-max-requests-missing';
import reloadEnabled from './gunicorn-reload-enabled';
import settingUnknown from './gunicorn-setting-unknown';
import timeoutInvalid from './gunicorn-timeout-invalid';
import workerClassInvalid from './gunicorn-worker-class-invalid';
import workerTmpDirMissing from './gunicorn-worker-tmp-dir-missing';
import workersFixed from './gunicorn-workers-fixed';
import workersUncapped from './gunicorn-workers-uncapped';

export const gunicornRules: readonly Rule[] = [
  configMissing,
  bindUnreachable,
  workersFixed,
  workersUncapped,
  workerClassInvalid,
  maxRequestsMissing,
  maxRequestsJitterMissing,
  timeoutInvalid,
  gracefulTimeoutTooLong,
  workerTmpDirMissing,
  logsNotStdout,
  settingUnknown,
  reloadEnabled,
  daemonEnabled,
];
