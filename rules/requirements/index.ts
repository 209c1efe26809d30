import type { Rule } from '../../src/rule';

export const requirementsRules: readonly Rule[] = [];
