import type { Rule } from '../../src/rule';
import configCommandDevServer from './config-command-dev-server';
import configContainerPrivileged from './config-container-privileged';
import configContainerRoot from './config-container-root';
import configDebugEnabled from './config-debug-enabled';
import configEnvSecretLiteral from './config-env-secret-literal';
import configSecretLiteral from './config-secret-literal';

export const configRules: readonly Rule[] = [configSecretLiteral, configEnvSecretLiteral, configDebugEnabled, configContainerRoot, configContainerPrivileged, configCommandDevServer];
