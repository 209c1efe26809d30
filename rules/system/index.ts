import type { Rule } from '../../src/rule';
import gunicornTargetMissing from './gunicorn-target-missing';
import healthcheckRouteMissing from './healthcheck-route-missing';
import portsMismatch from './ports-mismatch';

export const systemRules: readonly Rule[] = [gunicornTargetMissing, healthcheckRouteMissing, portsMismatch];
