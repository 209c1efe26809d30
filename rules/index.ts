import type { Rule } from '../src/rule';
import { suppressionRules } from '../src/suppressions';
import { configRules } from './config';
import { dockerfileRules } from './dockerfile';
import { gunicornRules } from './gunicorn';
import { pythonRules } from './python';
import { requirementsRules } from './requirements';
import { systemRules } from './system';

/** Every rule, grouped by area in the order the rule table lists them. */
export const allRules: readonly Rule[] = [
  ...pythonRules,
  ...gunicornRules,
  ...dockerfileRules,
  ...requirementsRules,
  ...configRules,
  ...systemRules,
  ...suppressionRules,
];

export function findRule(id: string): Rule | undefined {
  return allRules.find((rule) => rule.meta.id === id);
}
