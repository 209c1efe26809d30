import type { Rule } from '../../src/rule';

export const dockerfileRules: readonly Rule[] = [];
