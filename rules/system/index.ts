import type { Rule } from '../../src/rule';

export const systemRules: readonly Rule[] = [];
