import type { Rule } from '../../src/rule';

export const pythonRules: readonly Rule[] = [];
