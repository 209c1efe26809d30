import type { Rule } from '../../src/rule';

export const configRules: readonly Rule[] = [];
