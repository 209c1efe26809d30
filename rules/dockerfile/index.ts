import type { Rule } from '../../src/rule';
import baseImageNotSlim from './dockerfile-base-image-not-slim';
import baseImageUnpinned from './dockerfile-base-image-unpinned';
import bytecodeWrites from './dockerfile-bytecode-writes';
import cmdInvalidJson from './dockerfile-cmd-invalid-json';
import cmdMissing from './dockerfile-cmd-missing';
import cmdNotGunicorn from './dockerfile-cmd-not-gunicorn';
import cmdShellForm from './dockerfile-cmd-shell-form';
import copyOrder from './dockerfile-copy-order';
import healthcheckDisabled from './dockerfile-healthcheck-disabled';
import healthcheckMissing from './dockerfile-healthcheck-missing';
import healthcheckToolMissing from './dockerfile-healthcheck-tool-missing';
import pipCache from './dockerfile-pip-cache';
import pythonUnbufferedMissing from './dockerfile-python-unbuffered-missing';
import secretInEnv from './dockerfile-secret-in-env';
import shellWithoutExec from './dockerfile-shell-without-exec';
import userNotNumeric from './dockerfile-user-not-numeric';
import userRoot from './dockerfile-user-root';
import userUnverifiable from './dockerfile-user-unverifiable';

/** Dockerfile rules, in the order of the rule table. */
export const dockerfileRules: readonly Rule[] = [
  cmdMissing,
  cmdNotGunicorn,
  cmdShellForm,
  cmdInvalidJson,
  shellWithoutExec,
  userRoot,
  userUnverifiable,
  userNotNumeric,
  healthcheckMissing,
  healthcheckDisabled,
  healthcheckToolMissing,
  baseImageUnpinned,
  baseImageNotSlim,
  secretInEnv,
  pipCache,
  copyOrder,
  pythonUnbufferedMissing,
  bytecodeWrites,
];
