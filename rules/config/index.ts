import type { Rule } from '../../src/rule';
import configDebugEnabled from './config-debug-enabled';
import configSecretLiteral from './config-secret-literal';

export const configRules: readonly Rule[] = [configSecretLiteral, configDebugEnabled];
