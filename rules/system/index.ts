import type { Rule } from '../../src/rule';
import gunicornTargetMissing from './gunicorn-target-missing';
import healthcheckRouteMissing from './healthcheck-route-missing';

export const systemRules: readonly Rule[] = [gunicornTargetMissing, healthcheckRouteMissing];
