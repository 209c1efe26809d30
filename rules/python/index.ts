import type { Rule } from '../../src/rule';
import asyncBridgeWithoutTimeout from './async-bridge-without-timeout';
import asyncCallWithoutBridge from './async-call-without-bridge';
import asyncLoopPerRequest from './async-loop-per-request';
import asyncLoopThreadPreloaded from './async-loop-thread-preloaded';
import asyncRunUntilCompleteThreaded from './async-run-until-complete-threaded';
import flaskAppFactoryMissing from './flask-app-factory-missing';
import flaskCorsAllOrigins from './flask-cors-all-origins';
import flaskCorsCredentialsAnyOrigin from './flask-cors-credentials-any-origin';
import flaskDebugEnabled from './flask-debug-enabled';
import flaskDevServer from './flask-dev-server';
import flaskEnvDeprecated from './flask-env-deprecated';
import flaskErrorHandlerMissing from './flask-error-handler-missing';
import flaskHealthRouteMissing from './flask-health-route-missing';
import flaskLoggingUnconfigured from './flask-logging-unconfigured';
import flaskMaxContentLengthMissing from './flask-max-content-length-missing';
import flaskMetricsRouteMissing from './flask-metrics-route-missing';
import flaskProxyfixMissing from './flask-proxyfix-missing';
import flaskProxyfixReplacesApp from './flask-proxyfix-replaces-app';
import flaskProxyfixTrustsTooMany from './flask-proxyfix-trusts-too-many';
import flaskReadyRouteMissing from './flask-ready-route-missing';
import pythonGlobalMutationUnlocked from './python-global-mutation-unlocked';
import pythonIndentationInconsistent from './python-indentation-inconsistent';
import pythonSecretLiteral from './python-secret-literal';

export const pythonRules: readonly Rule[] = [
  flaskDevServer,
  flaskDebugEnabled,
  flaskEnvDeprecated,
  flaskAppFactoryMissing,
  flaskHealthRouteMissing,
  flaskReadyRouteMissing,
  flaskMetricsRouteMissing,
  flaskProxyfixMissing,
  flaskProxyfixTrustsTooMany,
  flaskProxyfixReplacesApp,
  flaskErrorHandlerMissing,
  flaskLoggingUnconfigured,
  pythonSecretLiteral,
  flaskCorsCredentialsAnyOrigin,
  flaskCorsAllOrigins,
  flaskMaxContentLengthMissing,
  asyncCallWithoutBridge,
  asyncBridgeWithoutTimeout,
  asyncLoopPerRequest,
  asyncRunUntilCompleteThreaded,
  asyncLoopThreadPreloaded,
  pythonGlobalMutationUnlocked,
  pythonIndentationInconsistent,
];
