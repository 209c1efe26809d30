import type { Rule } from '../../src/rule';

export const gunicornRules: readonly Rule[] = [];
