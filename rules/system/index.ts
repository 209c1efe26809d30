import type { Rule } from '../../src/rule';
import fileEncodingUnreadable from './file-encoding-unreadable';
import gunicornTargetMissing from './gunicorn-target-missing';
import healthcheckRouteMissing from './healthcheck-route-missing';
import kubernetesUserNotNumeric from './kubernetes-user-not-numeric';
import portsMismatch from './ports-mismatch';
import preloadSharedResources from './preload-shared-resources';
import prometheusMultiprocessMissing from './prometheus-multiprocess-missing';

export const systemRules: readonly Rule[] = [
  gunicornTargetMissing,
  healthcheckRouteMissing,
  portsMismatch,
  prometheusMultiprocessMissing,
  preloadSharedResources,
  kubernetesUserNotNumeric,
  fileEncodingUnreadable,
];
