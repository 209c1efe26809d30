import type { Rule } from '../../src/rule';
import flaskDebugEnabled from './flask-debug-enabled';
import flaskDevServer from './flask-dev-server';
import flaskHealthRouteMissing from './flask-health-route-missing';
import flaskMetricsRouteMissing from './flask-metrics-route-missing';
import flaskReadyRouteMissing from './flask-ready-route-missing';

export const pythonRules: readonly Rule[] = [
  flaskDevServer,
  flaskDebugEnabled,
  flaskHealthRouteMissing,
  flaskReadyRouteMissing,
  flaskMetricsRouteMissing,
];
